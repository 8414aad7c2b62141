using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.ClientCertificates;

/// <summary>
/// The gateway's own copies of the certificates clients send with theirs (intermediates, often their CA too), one copy
/// per distinct encoding, shared by every connection that sends it. SslStream disposes what it parsed once the
/// handshake callback returns, so the gateway keeps copies; parsing one with OpenSSL 3 was the largest single cost the
/// gateway added to a full handshake (README, Performance), while the clients of a gateway send the same few
/// certificates. Equal means byte for byte; a look-alike is another entry. Bounded in entries and bytes:
/// when full, it starts again empty, so a client sending fresh certificates on every handshake costs one parse each,
/// as without this, and nothing more.
/// </summary>
internal sealed class PresentedCertificates(int maxEntries, long maxBytes)
{
    /// <summary>Distinct certificates kept by default: far more than the intermediates of any trust list.</summary>
    public const int DefaultMaxEntries = 1024;

    /// <summary>Bytes of encodings kept by default.</summary>
    public const long DefaultMaxBytes = 4L * 1024 * 1024;

    private readonly ConcurrentDictionary<ReadOnlyMemory<byte>, X509Certificate2> copies = new(CertificateEncodingComparer.Instance);
    private readonly Lock adding = new();
    private long bytes;

    public PresentedCertificates()
        : this(DefaultMaxEntries, DefaultMaxBytes)
    {
    }

    public int Count => copies.Count;

    /// <summary>The gateway's copy of <paramref name="sent"/>, which stays valid after SslStream disposes the original.</summary>
    public X509Certificate2 CopyOf(X509Certificate2 sent)
    {
        ArgumentNullException.ThrowIfNull(sent);
        var encoding = sent.RawDataMemory;
        if (copies.TryGetValue(encoding, out var known))
        {
            return known;
        }

        var copy = X509CertificateLoader.LoadCertificate(encoding.Span);
        lock (adding)
        {
            if (copies.TryGetValue(encoding, out known))
            {
                return known;
            }

            if (copies.Count >= maxEntries || bytes + encoding.Length > maxBytes)
            {
                copies.Clear();
                bytes = 0;
            }

            // Keyed by the copy's own encoding: the original's goes with it.
            copies[copy.RawDataMemory] = copy;
            bytes += encoding.Length;
        }

        return copy;
    }
}
