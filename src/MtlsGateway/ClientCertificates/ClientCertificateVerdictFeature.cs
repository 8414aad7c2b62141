using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Identity;

namespace MtlsGateway.ClientCertificates;

internal sealed class ClientCertificateVerdictFeature(ValidationVerdict verdict, ClientConnectionState connection) : IClientCertificateVerdictFeature
{
    public ValidationVerdict Verdict { get; } = verdict;

    public CertificateIdentity Identity => connection.IdentityOf(Verdict.Path[0]);

    public IReadOnlyList<X509Certificate2> PresentedIntermediates => connection.PresentedIntermediates;
}
