using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Identity;

namespace MtlsGateway.ClientCertificates;

/// <summary>The accepted verdict of the request's client certificate, for authorization and identity forwarding.</summary>
public interface IClientCertificateVerdictFeature
{
    ValidationVerdict Verdict { get; }

    /// <summary>The client's identity (names, alternative names, pins), read once per connection.</summary>
    CertificateIdentity Identity { get; }

    /// <summary>The intermediates the client sent in its handshake.</summary>
    IReadOnlyList<X509Certificate2> PresentedIntermediates { get; }
}
