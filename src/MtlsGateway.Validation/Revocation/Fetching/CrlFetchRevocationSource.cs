using System.Formats.Asn1;
using MtlsGateway.Validation.Chains;

namespace MtlsGateway.Validation.Revocation.Fetching;

/// <summary>
/// Revocation source "crl-fetch": the CRLs named by the certificate's distribution points, and the delta CRLs named
/// by their freshestCRL extension (or the certificate's). Distribution points are downloaded in order until the CRLs
/// gathered so far tell the status, so reason-partitioned CRLs published at several points add up.
/// </summary>
public sealed class CrlFetchRevocationSource<TCrl> : IRevocationSource
    where TCrl : class
{
    public const string SourceName = "crl-fetch";

    /// <summary>Delta CRL locations followed per certificate: a certificate or CRL naming dozens must not fan out.</summary>
    private const int MaxDeltaLocations = 4;

    private readonly CrlDistributionPointCache<TCrl> cache;
    private readonly CrlLookup<TCrl> lookup;
    private readonly CrlDeltaLocations<TCrl>? deltaLocations;

    /// <param name="deltaLocations">Where a downloaded CRL's delta CRLs are; null follows only the certificate's freshestCRL.</param>
    public CrlFetchRevocationSource(CrlDistributionPointCache<TCrl> cache, CrlLookup<TCrl> lookup, CrlDeltaLocations<TCrl>? deltaLocations = null)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(lookup);
        this.cache = cache;
        this.lookup = lookup;
        this.deltaLocations = deltaLocations;
    }

    public string Name => SourceName;

    public async ValueTask<RevocationStatus> GetStatusAsync(CertificatePath path, int index, DateTimeOffset validationTime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        var certificate = path.Certificates[index];
        RevocationEndpoints endpoints;
        try
        {
            endpoints = CrlDistributionPoints.Read(certificate);
        }
        catch (AsnContentException)
        {
            return RevocationStatus.Unknown(SourceName, "malformed CRL distribution points extension");
        }

        if (endpoints.IsEmpty)
        {
            return RevocationStatus.Unknown(SourceName, "certificate names no CRL distribution point");
        }

        var problems = new List<string>();
        if (endpoints.Unsupported.Count > 0)
        {
            problems.Add(endpoints.DescribeUnsupported());
        }

        RevocationEndpoints certificateDeltas;
        try
        {
            certificateDeltas = CrlDistributionPoints.ReadFreshest(certificate);
        }
        catch (AsnContentException)
        {
            certificateDeltas = RevocationEndpoints.None;
            problems.Add("malformed freshestCRL extension");
        }

        var crls = new List<TCrl>();
        var followed = new HashSet<string>(StringComparer.Ordinal);
        var followedDeltas = new HashSet<string>(StringComparer.Ordinal);
        string? lastAnswer = null;
        foreach (var url in endpoints.Supported)
        {
            if (!followed.Add(url.AbsoluteUri))
            {
                continue;
            }

            var download = await cache.GetAsync(url, cancellationToken).ConfigureAwait(false);
            if (download.Cached is null)
            {
                problems.Add(download.Problem ?? $"no CRL from {url}");
                continue;
            }

            if (download.Problem is not null)
            {
                problems.Add(download.Problem);
            }

            crls.Add(download.Cached.Crl);
            await AddDeltasAsync(download.Cached.Crl, certificateDeltas, crls, followedDeltas, problems, cancellationToken).ConfigureAwait(false);

            RevocationStatus status;
            try
            {
                status = lookup(crls, path, index, validationTime);
            }
#pragma warning disable CA1031 // Fail closed: a lookup that breaks proves nothing, and must not turn into a 500.
            catch (Exception e)
            {
                status = RevocationStatus.Unknown(SourceName, $"CRL from {url} could not be used: {e.GetType().Name}");
            }
#pragma warning restore CA1031

            if (status.State != RevocationState.Unknown)
            {
                return status;
            }

            lastAnswer = status.Detail;
        }

        if (lastAnswer is not null)
        {
            problems.Insert(0, lastAnswer);
        }

        return RevocationStatus.Unknown(SourceName, string.Join("; ", problems));
    }

    private async Task AddDeltasAsync(
        TCrl complete, RevocationEndpoints certificateDeltas, List<TCrl> crls, HashSet<string> followedDeltas, List<string> problems, CancellationToken cancellationToken)
    {
        var announced = deltaLocations?.Invoke(complete) ?? RevocationEndpoints.None;
        foreach (var url in announced.Supported.Concat(certificateDeltas.Supported))
        {
            if (followedDeltas.Count >= MaxDeltaLocations || !followedDeltas.Add(url.AbsoluteUri))
            {
                continue;
            }

            var download = await cache.GetAsync(url, cancellationToken).ConfigureAwait(false);
            if (download.Cached is null)
            {
                problems.Add("delta CRL: " + (download.Problem ?? $"no CRL from {url}"));
                continue;
            }

            crls.Add(download.Cached.Crl);
        }

        if (announced.Unsupported.Count > 0)
        {
            problems.Add("delta CRL locations: " + announced.DescribeUnsupported());
        }
    }
}
