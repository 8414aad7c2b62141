using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Identity;

namespace MtlsGateway.ClientCertificates;

internal sealed class ClientCertificateVerdictFeature(ValidationVerdict verdict, CertificateIdentity identity, ClientConnectionState connection) : IClientCertificateVerdictFeature
{
    public ValidationVerdict Verdict { get; } = verdict;

    public CertificateIdentity Identity { get; } = identity;

    public IReadOnlyList<X509Certificate2> PresentedIntermediates => connection.PresentedIntermediates;
}
