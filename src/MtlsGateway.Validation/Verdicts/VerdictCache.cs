using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Caching.Memory;
using MtlsGateway.Validation.Chains;

namespace MtlsGateway.Validation.Verdicts;

/// <summary>
/// Verdicts shared across connections, keyed by the presented chain, so a client that reconnects is not validated
/// again. Bounded in size and lifetime; an entry is used only while it is current (same epoch, before its ValidUntil).
/// </summary>
public sealed class VerdictCache : IDisposable
{
    private readonly MemoryCache cache;
    private readonly TimeSpan lifetime;
    private readonly ValidationEpoch epoch;
    private readonly TimeProvider timeProvider;

    public VerdictCache(int maxEntries, TimeSpan lifetime, ValidationEpoch epoch, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEntries);
        cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = maxEntries });
        this.lifetime = lifetime;
        this.epoch = epoch;
        this.timeProvider = timeProvider;
    }

    public static string KeyOf(X509Certificate2 endEntity, IReadOnlyCollection<X509Certificate2> presentedIntermediates)
    {
        ArgumentNullException.ThrowIfNull(endEntity);
        ArgumentNullException.ThrowIfNull(presentedIntermediates);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(endEntity.RawDataMemory.Span);
        foreach (var intermediate in presentedIntermediates)
        {
            hash.AppendData(intermediate.RawDataMemory.Span);
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    public bool TryGet(string key, out ValidationVerdict verdict)
    {
        if (cache.TryGetValue(key, out ValidationVerdict? cached) && cached!.IsCurrent(timeProvider.GetUtcNow(), epoch.Current))
        {
            verdict = cached;
            return true;
        }

        verdict = null!;
        return false;
    }

    public void Store(string key, ValidationVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var now = timeProvider.GetUtcNow();
        var expires = now + lifetime < verdict.ValidUntil ? now + lifetime : verdict.ValidUntil;
        if (expires <= now)
        {
            return;
        }

        cache.Set(key, verdict, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = expires - now });
    }

    public int Count => cache.Count;

    public void Dispose() => cache.Dispose();
}
