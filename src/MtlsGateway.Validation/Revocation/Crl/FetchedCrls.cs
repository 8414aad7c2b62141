using MtlsGateway.Validation.Crypto;
using MtlsGateway.Validation.Revocation.Fetching;

namespace MtlsGateway.Validation.Revocation.Crl;

/// <summary>
/// Plugs this CRL reader into the crl-fetch source's two seams: <see cref="Read"/> for
/// <see cref="CrlDistributionPointCache{TCrl}"/> (once per download) and <see cref="Lookup"/> for
/// <see cref="CrlFetchRevocationSource{TCrl}"/> (per request). A downloaded CRL is held as a one-CRL
/// <see cref="CrlSet"/>, so a lookup judges it exactly as a local CRL file is judged (issuer name, signature,
/// freshness, scope, critical extensions) and allocates nothing to find it.
/// </summary>
public static class FetchedCrls
{
    /// <summary>Null when the bytes are no CRL or the CRL has no nextUpdate (its freshness could never be judged).</summary>
    public static ParsedCrl<CrlSet>? Read(ReadOnlyMemory<byte> crlDer)
    {
        try
        {
            var crl = CertificateRevocationList.Parse(crlDer);
            return crl.NextUpdate is { } nextUpdate ? new ParsedCrl<CrlSet>(new CrlSet([crl]), nextUpdate) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <param name="clockSkew">The same tolerance the path validation uses.</param>
    /// <param name="minimums">The same crypto minimums the path validation uses; default <see cref="CryptoMinimums.Default"/>.</param>
    public static CrlLookup<CrlSet> Lookup(TimeSpan clockSkew, CryptoMinimums? minimums = null)
    {
        var evaluator = new CrlStatusEvaluator(clockSkew, minimums);
        return (crls, path, index, validationTime) => evaluator.Evaluate(CrlFetchRevocationSource<CrlSet>.SourceName, crls, path, index, validationTime);
    }
}
