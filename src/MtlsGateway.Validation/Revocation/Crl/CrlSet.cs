using MtlsGateway.Validation.Certificates;

namespace MtlsGateway.Validation.Revocation.Crl;

/// <summary>An immutable set of CRLs, found by issuer name (compared as RFC 5280 says, not byte for byte).</summary>
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
            .ToDictionary(group => group.Key, group => group.ToArray(), StringComparer.Ordinal);
    }

    public static CrlSet Empty { get; } = new([]);

    public IReadOnlyList<CertificateRevocationList> All { get; }

    public long EntryCount { get; }

    /// <summary>Identifies the file contents this set was read from; empty for sets built in memory.</summary>
    public string Fingerprint { get; }

    public IReadOnlyList<CertificateRevocationList> IssuedBy(ReadOnlySpan<byte> encodedIssuerName) =>
        byIssuer.TryGetValue(DistinguishedNames.NormalizedKey(encodedIssuerName), out var crls) ? crls : [];

    /// <exception cref="CertificateSourceException">An entry is missing or a file holds no readable CRL.</exception>
    public static CrlSet Load(IReadOnlyList<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var fingerprint = FileSetWatcher.Fingerprint(entries);
        return new CrlSet(CertificateFiles.Expand(entries).SelectMany(CrlFiles.Read), fingerprint);
    }
}
