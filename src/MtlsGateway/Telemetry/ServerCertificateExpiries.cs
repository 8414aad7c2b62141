using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using MtlsGateway.Tls;
using MtlsGateway.Validation.Certificates;

namespace MtlsGateway.Telemetry;

/// <summary>
/// The expiry of the server certificates named in <c>Kestrel</c> (each endpoint's and the default). The files are
/// re-read at most once a minute, so a renewed certificate shows up without metric collection touching the disk each time.
/// </summary>
internal sealed class ServerCertificateExpiries(IOptions<KestrelTlsOptions> options, IHostEnvironment environment, TimeProvider timeProvider) : ICertificateExpirySource
{
    private static readonly TimeSpan RereadInterval = TimeSpan.FromMinutes(1);
    private readonly Lock refreshing = new();
    private IReadOnlyList<CertificateExpiry> current = [];
    private DateTimeOffset readAt = DateTimeOffset.MinValue;

    public IEnumerable<CertificateExpiry> Current()
    {
        lock (refreshing)
        {
            var now = timeProvider.GetUtcNow();
            if (now - readAt >= RereadInterval)
            {
                current = ReadAll();
                readAt = now;
            }

            return current;
        }
    }

    private List<CertificateExpiry> ReadAll()
    {
        var expiries = new List<CertificateExpiry>();
        foreach (var (_, certificate) in options.Value.ServerCertificates.Where(entry => entry.Certificate.Path is not null))
        {
            if (Read(Path.GetFullPath(certificate.Path!, environment.ContentRootPath), certificate.Password) is { } expiry
                && !expiries.Contains(expiry))
            {
                expiries.Add(expiry);
            }
        }

        return expiries;
    }

    private static CertificateExpiry? Read(string path, string? password)
    {
        try
        {
            if (path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase))
            {
                using var bundle = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
                return ExpiryOf(bundle);
            }

            var certificates = CertificateFiles.Read(path);
            try
            {
                return ExpiryOf(certificates[0]);
            }
            finally
            {
                foreach (var certificate in certificates)
                {
                    certificate.Dispose();
                }
            }
        }
        catch (Exception e) when (e is CertificateSourceException or CryptographicException or IOException or UnauthorizedAccessException)
        {
            // Start-up already proved the file loads; a file being replaced right now is read again next minute.
            return null;
        }
    }

    private static CertificateExpiry ExpiryOf(X509Certificate2 certificate) =>
        new(CertificateRoles.Server, certificate.Subject, new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero));
}
