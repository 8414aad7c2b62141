using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Validation.Chains;

namespace MtlsGateway.ClientCertificates;

/// <summary>
/// What the gateway knows about one TLS connection's client: the intermediates it sent in the handshake (Kestrel does
/// not expose them later), whether the handshake resumed an earlier session (which sends none), and the verdict reused
/// by the connection's requests.
/// </summary>
internal sealed class ClientConnectionState(IReadOnlyList<X509Certificate2> presentedIntermediates, bool resumed = false)
{
    private volatile ValidationVerdict? verdict;
    private volatile IReadOnlyList<X509Certificate2> presented = presentedIntermediates;
    private volatile ClientCertificateVerdictFeature? feature;

    /// <summary>The intermediates the client sent in its handshake; for a resumed session, those of the full handshake it was judged with.</summary>
    public IReadOnlyList<X509Certificate2> PresentedIntermediates => presented;

    /// <summary>The TLS session was resumed: the client sent no certificates in this connection's handshake.</summary>
    public bool Resumed { get; } = resumed;

    public ValidationVerdict? Verdict
    {
        get => verdict;
        set => verdict = value;
    }

    /// <summary>The request feature for <paramref name="verdict"/>, made once per verdict of this connection (it is immutable).</summary>
    public ClientCertificateVerdictFeature FeatureFor(ValidationVerdict verdict, VerdictIdentities identities)
    {
        ArgumentNullException.ThrowIfNull(identities);
        var cached = feature;
        if (cached is null || !ReferenceEquals(cached.Verdict, verdict))
        {
            cached = new ClientCertificateVerdictFeature(verdict, identities.Of(verdict), this);
            feature = cached;
        }

        return cached;
    }

    /// <summary>A resumed session takes the chain of the full handshake it was judged with.</summary>
    public void AdoptHandshakeChain(IReadOnlyList<X509Certificate2> chain) => presented = chain;
}
