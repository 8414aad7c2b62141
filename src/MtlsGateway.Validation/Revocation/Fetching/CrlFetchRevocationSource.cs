using System.Formats.Asn1;
using MtlsGateway.Validation.Chains;

namespace MtlsGateway.Validation.Revocation.Fetching;

/// <summary>Revocation source "crl-fetch": the CRLs named by the certificate's distribution points.</summary>
public sealed class CrlFetchRevocationSource<TCrl> : IRevocationSource
    where TCrl : class
{
    public const string SourceName = "crl-fetch";

    private readonly CrlDistributionPointCache<TCrl> cache;
    private readonly CrlLookup<TCrl> lookup;

    public CrlFetchRevocationSource(CrlDistributionPointCache<TCrl> cache, CrlLookup<TCrl> lookup)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(lookup);
        this.cache = cache;
        this.lookup = lookup;
    }

    public string Name => SourceName;

    public async ValueTask<RevocationStatus> GetStatusAsync(CertificatePath path, int index, DateTimeOffset validationTime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        RevocationEndpoints endpoints;
        try
        {
            endpoints = CrlDistributionPoints.Read(path.Certificates[index]);
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

        foreach (var url in endpoints.Supported)
        {
            var download = await cache.GetAsync(url, cancellationToken).ConfigureAwait(false);
            if (download.Cached is null)
            {
                problems.Add(download.Problem ?? $"no CRL from {url}");
                continue;
            }

            RevocationStatus status;
            try
            {
                status = lookup(download.Cached.Crl, path, index, validationTime);
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

            problems.Add(download.Problem is null ? status.Detail : $"{status.Detail} ({download.Problem})");
        }

        return RevocationStatus.Unknown(SourceName, string.Join("; ", problems));
    }
}
