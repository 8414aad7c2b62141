using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Validation.Trust;

namespace MtlsGateway.Tls;

/// <summary>
/// What the handshake needs from the trust list: the CA names advertised in the CertificateRequest (so clients with
/// several certificates offer the right one) and a chain policy that never touches the OS store or the network.
/// Both are built once per trust list and server certificate, not per handshake.
/// </summary>
internal sealed class HandshakeTrust
{
    private readonly TrustListProvider trustList;
    // Keyed by the endpoint's own context object (Kestrel keeps one per certificate), not by a thumbprint that would be
    // hashed and formatted on every handshake.
    private readonly ConditionalWeakTable<SslStreamCertificateContext, TrustBoundContext> contexts = new();
    private readonly ConditionalWeakTable<X509Certificate2, SslStreamCertificateContext> bareCertificates = new();
    private volatile TrustBoundPolicy? chainPolicy;

    public HandshakeTrust(TrustListProvider trustList)
    {
        this.trustList = trustList;
        trustList.Changed += _ => contexts.Clear();
    }

    /// <summary>The server's certificate context, re-created with the trusted CA names sent in the handshake.</summary>
    public SslStreamCertificateContext AdvertisingTrustedIssuers(SslStreamCertificateContext original)
    {
        ArgumentNullException.ThrowIfNull(original);
        var trust = trustList.Current;
        if (contexts.TryGetValue(original, out var cached) && ReferenceEquals(cached.Trust, trust))
        {
            return cached.Context;
        }

        var context = SslStreamCertificateContext.Create(
            original.TargetCertificate,
            new X509Certificate2Collection(original.IntermediateCertificates.ToArray()),
            offline: true,
            trust: SslCertificateTrust.CreateForX509Collection(trust.Anchors, sendTrustInHandshake: true));
        contexts.AddOrUpdate(original, new TrustBoundContext(trust, context));
        return context;
    }

    /// <summary>The same, for an endpoint that hands over a bare certificate: its context is made once per certificate object.</summary>
    public SslStreamCertificateContext AdvertisingTrustedIssuers(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return AdvertisingTrustedIssuers(bareCertificates.GetValue(certificate, static bare => SslStreamCertificateContext.Create(bare, null, offline: true)));
    }

    /// <summary>
    /// The policy SslStream uses for its own chain build during the handshake. The verdict is the middleware's; this
    /// only keeps that build from reading the OS store or fetching issuers from URLs a client put in its certificate.
    /// A copy per handshake, because SslStream adds the certificates the client sent to the policy's extra store.
    /// </summary>
    public X509ChainPolicy NewHandshakeChainPolicy()
    {
        var trust = trustList.Current;
        if (chainPolicy is { } cached && ReferenceEquals(cached.Trust, trust))
        {
            return cached.Policy.Clone();
        }

        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.AddRange(trust.Anchors);
        policy.ExtraStore.AddRange(trust.Intermediates);
        chainPolicy = new TrustBoundPolicy(trust, policy);
        return policy.Clone();
    }

    private sealed record TrustBoundPolicy(TrustList Trust, X509ChainPolicy Policy);

    private sealed record TrustBoundContext(TrustList Trust, SslStreamCertificateContext Context);
}
