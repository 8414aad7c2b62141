using System.Formats.Asn1;
using MtlsGateway.Validation.Crypto;
using MtlsGateway.Validation.Revocation.Fetching;

namespace MtlsGateway.Validation.Revocation.Crl;

/// <summary>
/// Plugs this CRL reader into the crl-fetch source's seams: <see cref="Read"/> for
/// <see cref="CrlDistributionPointCache{TCrl}"/> (once per download), <see cref="Lookup"/> and
/// <see cref="DeltaLocations"/> for <see cref="CrlFetchRevocationSource{TCrl}"/> (per request). A downloaded CRL is held
/// as a one-CRL <see cref="CrlSet"/>; the CRLs downloaded for a certificate (complete and delta) are judged together
/// exactly as local CRL files are judged (issuer, signature, freshness, scope, reasons, deltas, critical extensions).
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
        return (crls, path, index, validationTime) => evaluator.Evaluate(CrlFetchRevocationSource<CrlSet>.SourceName, CrlSet.Union(crls), path, index, validationTime);
    }

    /// <summary>The freshestCRL locations of the complete CRLs in <paramref name="crls"/>; a malformed extension names none.</summary>
    public static RevocationEndpoints DeltaLocations(CrlSet crls)
    {
        ArgumentNullException.ThrowIfNull(crls);
        var supported = new List<Uri>();
        var unsupported = new List<string>();
        foreach (var crl in crls.All)
        {
            if (crl.FreshestCrl is not { } freshest)
            {
                continue;
            }

            try
            {
                var endpoints = CrlDistributionPoints.Parse(freshest);
                supported.AddRange(endpoints.Supported);
                unsupported.AddRange(endpoints.Unsupported);
            }
            catch (AsnContentException)
            {
                unsupported.Add("a malformed freshestCRL extension");
            }
        }

        return supported.Count == 0 && unsupported.Count == 0 ? RevocationEndpoints.None : new RevocationEndpoints(supported, unsupported);
    }
}
