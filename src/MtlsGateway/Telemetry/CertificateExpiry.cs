namespace MtlsGateway.Telemetry;

/// <summary>When one certificate the gateway depends on expires.</summary>
/// <param name="Role"><see cref="CertificateRoles"/>: what the certificate is for the gateway.</param>
public sealed record CertificateExpiry(string Role, string Subject, DateTimeOffset NotAfter);
