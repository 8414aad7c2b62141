using MtlsGateway.Validation.Certificates;

namespace MtlsGateway.Validation.Revocation.Crl;

/// <summary>
/// An immutable set of CRLs (complete and delta), found by issuer name (compared as RFC 5280 says, not byte for
/// byte), newest first.
/// </summary>
public sealed class CrlSet
{
    private readonly Dictionary<string, CertificateRevocationList[]> byIssuer;

    public CrlSet(IEnumerable<CertificateRevocationList> crls, string fingerprint = "")
    {
        ArgumentNullException.ThrowIfNull(crls);
        All = [.. crls];
        Fingerprint = fingerprint;
        EntryCount = All.Sum(crl => (long)crl.Count);
        byIssuer = All.GroupBy(crl => DistinguishedNames.NormalizedKey(crl.IssuerName.Span), StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.OrderByDescending(crl => crl.ThisUpdate).ThenByDescending(crl => crl.CrlNumber ?? -1).ToArray(), StringComparer.Ordinal);
    }

    public static CrlSet Empty { get; } = new([]);

    public IReadOnlyList<CertificateRevocationList> All { get; }

    public long EntryCount { get; }

    /// <summary>Identifies the file contents this set was read from; empty for sets built in memory.</summary>
    public string Fingerprint { get; }

    /// <summary>The CRLs, complete and delta, whose issuer is <paramref name="encodedIssuerName"/>: the newest (thisUpdate, then CRL number) first.</summary>
    public IReadOnlyList<CertificateRevocationList> IssuedBy(ReadOnlySpan<byte> encodedIssuerName) =>
        byIssuer.TryGetValue(DistinguishedNames.NormalizedKey(encodedIssuerName), out var crls) ? crls : [];

    /// <summary>One set holding the CRLs of several (for the CRLs downloaded for one certificate).</summary>
    public static CrlSet Union(IReadOnlyList<CrlSet> sets)
    {
        ArgumentNullException.ThrowIfNull(sets);
        return sets.Count == 1 ? sets[0] : new CrlSet(sets.SelectMany(set => set.All).Distinct());
    }

    /// <exception cref="CertificateSourceException">An entry is missing or a file holds no readable CRL.</exception>
    public static CrlSet Load(IReadOnlyList<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var fingerprint = FileSetWatcher.Fingerprint(entries);
        return new CrlSet(CertificateFiles.Expand(entries).SelectMany(CrlFiles.Read), fingerprint);
    }
}
