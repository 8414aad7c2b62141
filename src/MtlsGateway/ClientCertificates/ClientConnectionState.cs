using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Identity;

namespace MtlsGateway.ClientCertificates;

/// <summary>
/// What the gateway knows about one TLS connection's client: the intermediates it sent in the handshake (Kestrel does
/// not expose them later) and the verdict reused by the connection's requests.
/// </summary>
internal sealed class ClientConnectionState(IReadOnlyList<X509Certificate2> presentedIntermediates)
{
    private volatile ValidationVerdict? verdict;
    private volatile CertificateIdentity? identity;

    public IReadOnlyList<X509Certificate2> PresentedIntermediates { get; } = presentedIntermediates;

    public ValidationVerdict? Verdict
    {
        get => verdict;
        set => verdict = value;
    }

    public CertificateIdentity IdentityOf(X509Certificate2 certificate) => identity ??= new CertificateIdentity(certificate);
}
