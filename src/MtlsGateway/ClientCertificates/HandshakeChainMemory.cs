using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Caching.Memory;

namespace MtlsGateway.ClientCertificates;

/// <summary>
/// The certificates clients sent in their full handshakes, by client certificate, so a resumed TLS session (which
/// sends no certificates, and whose session state OpenSSL keeps out of reach) is judged with the chain of the full
/// handshake it resumes. Neither SslStream nor the wire ties a TLS 1.3 resumption to its full handshake (the session
/// ticket is issued encrypted), but the session does carry the client certificate, and only the holder of its key
/// could have made that full handshake. When a certificate was sent with several different chains, a resumption is
/// judged with every one of them and gets the worst verdict (<see cref="ConnectionVerdicts"/>): never a better one
/// than its own full handshake's.
/// Bounded in bytes (<c>SessionChainMemoryBytes</c>); an entry lives as long as a session may be resumed after the
/// last handshake that used it (OpenSSL's session lifetime, which SslStream keeps: two hours). A session whose entry
/// is gone is refused, never judged without its chain. Tickets die with the process, so a restart needs no memory.
/// </summary>
internal sealed class HandshakeChainMemory : IDisposable
{
    /// <summary>The lifetime of a TLS session (and of its tickets) in OpenSSL, which SslStream keeps.</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(2);

    /// <summary>Distinct chains remembered per client certificate; beyond that its resumptions are refused.</summary>
    public const int MaxChainsPerCertificate = 8;

    private const int EntryOverhead = 256;

    private readonly MemoryCache cache;

    public HandshakeChainMemory(long sizeLimitBytes)
    {
        cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = sizeLimitBytes });
    }

    public int Count => cache.Count;

    /// <summary>Remembers that <paramref name="certificate"/> came with <paramref name="sent"/> in a full handshake.</summary>
    public void Remember(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> sent)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(sent);
        var key = KeyOf(certificate);
        var found = cache.TryGetValue(key, out RememberedChains? existing);
        if (found && existing!.IsMostRecent(sent))
        {
            // The usual case, a client reconnecting with the chain it sent last time: reading the entry renewed its
            // sliding expiration, and there is nothing to add.
            return;
        }

        var entry = found ? existing! : new RememberedChains();
        entry.Add(sent, MaxChainsPerCertificate);
        cache.Set(key, entry, new MemoryCacheEntryOptions { Size = EntryOverhead + entry.Bytes, SlidingExpiration = SessionLifetime });
    }

    /// <summary>The chains <paramref name="certificate"/> was sent with (most recent first); null when none is remembered.</summary>
    public RememberedChains? Of(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return cache.TryGetValue(KeyOf(certificate), out RememberedChains? entry) ? entry : null;
    }

    public void Dispose() => cache.Dispose();

    private static string KeyOf(X509Certificate2 certificate) => Convert.ToHexString(SHA256.HashData(certificate.RawDataMemory.Span));
}
