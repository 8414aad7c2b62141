using MtlsGateway.Validation.Chains;

namespace MtlsGateway.Validation.Revocation.Ocsp;

/// <summary>Revocation source "ocsp": asks the responders named in the certificate's Authority Information Access.</summary>
public sealed class OcspRevocationSource : IRevocationSource
{
    private readonly OcspClient client;

    public OcspRevocationSource(OcspClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        this.client = client;
    }

    public string Name => OcspResponseVerifier.SourceName;

    public ValueTask<RevocationStatus> GetStatusAsync(CertificatePath path, int index, DateTimeOffset validationTime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        return client.GetStatusAsync(path.Certificates[index], path.IssuerOf(index), validationTime, cancellationToken);
    }
}
