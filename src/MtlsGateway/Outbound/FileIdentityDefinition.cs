namespace MtlsGateway.Outbound;

/// <summary>A software key: certificate and unencrypted private key in files.</summary>
internal sealed record FileIdentityDefinition(string Name, string CertificatePath, string KeyPath)
    : OutboundIdentityDefinition(Name);
