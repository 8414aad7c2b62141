namespace MtlsGateway.Tls;

/// <summary>
/// The <c>Kestrel</c> settings the gateway checks before Kestrel starts: every endpoint is <c>https://</c> and every
/// server certificate loads with its key. Kestrel itself reads the section; its other keys (Limits...) are its own.
/// </summary>
public sealed class KestrelTlsOptions
{
    public const string SectionName = "Kestrel";

    public Dictionary<string, KestrelEndpointOptions> Endpoints { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary><c>Kestrel:Certificates:Default</c> (and any other named certificate).</summary>
    public Dictionary<string, ServerCertificateOptions> Certificates { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every configured server certificate with the key that names it.</summary>
    public IEnumerable<(string Key, ServerCertificateOptions Certificate)> ServerCertificates =>
        Endpoints.Where(endpoint => endpoint.Value.Certificate is not null)
            .Select(endpoint => ($"{SectionName}:Endpoints:{endpoint.Key}:Certificate", endpoint.Value.Certificate!))
            .Concat(Endpoints.SelectMany(endpoint => endpoint.Value.Sni
                .Where(host => host.Value.Certificate is not null)
                .Select(host => ($"{SectionName}:Endpoints:{endpoint.Key}:Sni:{host.Key}:Certificate", host.Value.Certificate!))))
            .Concat(Certificates.Select(certificate => ($"{SectionName}:Certificates:{certificate.Key}", certificate.Value)));
}
