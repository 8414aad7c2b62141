using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.TestSupport.Pki;

/// <summary>
/// What <see cref="TestCa.CreateCrl(Action{CrlProfile})"/> writes: any dates (nextUpdate may be left out), entries
/// with reasons, the CRL number, issuingDistributionPoint, delta indicators and extensions no library would emit.
/// </summary>
public sealed class CrlProfile
{
    public DateTimeOffset ThisUpdate { get; set; } = DateTimeOffset.UtcNow.AddHours(-1);

    /// <summary>Null leaves nextUpdate out.</summary>
    public DateTimeOffset? NextUpdate { get; set; } = DateTimeOffset.UtcNow.AddDays(7);

    /// <summary>Grows from one CRL to the next by default; null leaves the extension out.</summary>
    public BigInteger? Number { get; set; }

    /// <summary>The key that signs, when not the issuing CA's own (a CRL signer, or a forger).</summary>
    public X509Certificate2? Signer { get; set; }

    public HashAlgorithmName SignatureHash { get; set; } = HashAlgorithmName.SHA256;

    public RSASignaturePadding? RsaPadding { get; set; }

    /// <summary>authorityKeyIdentifier of the signing key.</summary>
    public bool AuthorityKeyIdentifier { get; set; } = true;

    public IList<RevocationEntry> Entries { get; } = [];

    /// <summary>Further CRL extensions, after the number and the key identifier.</summary>
    public IList<X509Extension> Extensions { get; } = [];

    public CrlProfile Revoke(X509Certificate2 certificate, X509RevocationReason? reason = null, DateTimeOffset? revokedAt = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Revoke(certificate.SerialNumberBytes.ToArray(), reason, revokedAt);
    }

    public CrlProfile Revoke(byte[] serial, X509RevocationReason? reason = null, DateTimeOffset? revokedAt = null, DateTimeOffset? invalidSince = null)
    {
        Entries.Add(new RevocationEntry(serial, revokedAt ?? ThisUpdate, reason, invalidSince));
        return this;
    }

    public CrlProfile Add(IEnumerable<RevocationEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            Entries.Add(entry);
        }

        return this;
    }

    /// <summary>Makes this a delta CRL on the given base CRL number.</summary>
    public CrlProfile DeltaOf(BigInteger baseCrlNumber)
    {
        Extensions.Add(TestExtensions.DeltaCrlIndicator(baseCrlNumber));
        return this;
    }
}
