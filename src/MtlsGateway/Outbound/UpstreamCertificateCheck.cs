using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.Outbound;

/// <summary>
/// Judges an upstream's server certificate for one cluster. With <c>UpstreamTrustedCaFile</c> the chain must end at one
/// of those CAs only (CustomRootTrust: the OS store plays no part); without it the OS trust store decides, as .NET's
/// default does. Either way the host name must match and a refusal is logged with its reason.
/// Revocation is not checked here: upstreams are few and pinned, and a CRL/OCSP fetch would sit inside every handshake.
/// </summary>
internal sealed partial class UpstreamCertificateCheck
{
    private static readonly Oid ServerAuthentication = new(Validation.Certificates.Oids.ServerAuthentication);

    private readonly string clusterId;
    private readonly X509Certificate2Collection? pinnedRoots;
    private readonly TimeProvider time;
    private readonly ILogger logger;

    public UpstreamCertificateCheck(string clusterId, X509Certificate2Collection? pinnedRoots, TimeProvider time, ILogger logger)
    {
        this.clusterId = clusterId;
        this.pinnedRoots = pinnedRoots;
        this.time = time;
        this.logger = logger;
    }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var host = (sender as SslStream)?.TargetHostName ?? string.Empty;
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            LogRefused(clusterId, host, "no server certificate");
            return false;
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            LogRefused(clusterId, host, $"certificate '{certificate.Subject}' is not issued for this host name");
            return false;
        }

        if (pinnedRoots is null)
        {
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            LogRefused(clusterId, host, $"certificate '{certificate.Subject}' is not trusted by the operating system's trust store ({Describe(chain)}); pin its CA with UpstreamTrustedCaFile");
            return false;
        }

        return ValidatePinned(host, certificate, chain);
    }

    private bool ValidatePinned(string host, X509Certificate certificate, X509Chain? presented)
    {
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var pinned = new X509Chain();
        pinned.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        pinned.ChainPolicy.CustomTrustStore.AddRange(pinnedRoots!);
        pinned.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        pinned.ChainPolicy.DisableCertificateDownloads = true;
        pinned.ChainPolicy.VerificationTime = time.GetUtcNow().UtcDateTime;
        pinned.ChainPolicy.ApplicationPolicy.Add(ServerAuthentication);
        if (presented is not null)
        {
            // What the server sent in the handshake: intermediates only help build the path, they are not trusted.
            pinned.ChainPolicy.ExtraStore.AddRange(presented.ChainPolicy.ExtraStore);
            foreach (var element in presented.ChainElements.Skip(1))
            {
                pinned.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (pinned.Build(leaf))
        {
            return true;
        }

        LogRefused(clusterId, host, $"certificate '{leaf.Subject}' does not chain to the pinned UpstreamTrustedCaFile ({Describe(pinned)})");
        return false;
    }

    private static string Describe(X509Chain? chain) =>
        chain is null || chain.ChainStatus.Length == 0
            ? "chain not built"
            : string.Join(", ", chain.ChainStatus.Select(s => s.Status).Distinct());

    [LoggerMessage(EventId = EventIds.UpstreamCertificateRefused, EventName = nameof(EventIds.UpstreamCertificateRefused), Level = LogLevel.Warning, Message = "Upstream of cluster {ClusterId} refused: host {Host}: {Reason}")]
    private partial void LogRefused(string clusterId, string host, string reason);
}
