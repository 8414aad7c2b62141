namespace MtlsGateway.Outbound;

/// <summary><c>Gateway:OutboundIdentities:&lt;name&gt;:File</c>: a software key, certificate and unencrypted PEM private key in files.</summary>
public sealed class FileIdentityOptions
{
    public string? CertificatePath { get; set; }

    public string? KeyPath { get; set; }
}
