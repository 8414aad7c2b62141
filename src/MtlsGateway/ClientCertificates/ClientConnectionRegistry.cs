using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.ClientCertificates;

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
