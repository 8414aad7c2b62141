namespace MtlsGateway.Tls;

/// <summary>
/// A server certificate as Kestrel reads it: <c>Kestrel:Endpoints:&lt;name&gt;:Certificate</c> or
/// <c>Kestrel:Certificates:Default</c>. The gateway checks the files before Kestrel loads them.
/// </summary>
public sealed class ServerCertificateOptions
{
    /// <summary>PEM certificate (with <see cref="KeyPath"/>) or PKCS#12 (with <see cref="Password"/>).</summary>
    public string? Path { get; set; }

    public string? KeyPath { get; set; }

    public string? Password { get; set; }

    /// <summary>Kestrel's certificate-store settings; accepted as Kestrel knows them, not checked by the gateway.</summary>
    public string? Subject { get; set; }

    public string? Store { get; set; }

    public string? Location { get; set; }

    public bool? AllowInvalid { get; set; }
}
