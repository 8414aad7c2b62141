using System.Runtime.CompilerServices;
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

/// <summary>
/// Keys connection state on the client certificate object, which Kestrel creates once per handshake and hands both to
/// the certificate validation callback and to every request of that connection; the entry dies with the connection.
/// </summary>
internal sealed class ClientConnectionRegistry
{
    private readonly ConditionalWeakTable<X509Certificate2, ClientConnectionState> states = new();

    /// <summary>Kestrel's ClientCertificateValidation callback: remembers what was sent; the middleware judges it.</summary>
    public bool RecordHandshake(X509Certificate2 certificate, X509Chain? chain)
    {
        ArgumentNullException.ThrowIfNull(certificate);

        // The chain and its certificates are disposed when the handshake completes, so keep copies.
        var sent = chain?.ChainPolicy.ExtraStore
            .Where(c => !c.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span))
            .Select(c => X509CertificateLoader.LoadCertificate(c.RawDataMemory.Span))
            .ToArray() ?? [];
        states.AddOrUpdate(certificate, new ClientConnectionState(sent));
        return true;
    }

    public ClientConnectionState StateOf(X509Certificate2 certificate) =>
        states.GetValue(certificate, _ => new ClientConnectionState([]));
}
