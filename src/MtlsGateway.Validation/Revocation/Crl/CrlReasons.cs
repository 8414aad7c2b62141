using System.Formats.Asn1;

namespace MtlsGateway.Validation.Revocation.Crl;

/// <summary>
/// A set of revocation reasons, as the ReasonFlags BIT STRING of RFC 5280 4.2.1.13 names them: what a distribution
/// point or a reason-partitioned CRL (onlySomeReasons) covers. Bit 0 ("unused") names no reason and is ignored, so
/// "all reasons" is keyCompromise through aACompromise.
/// </summary>
public readonly record struct CrlReasons
{
    private const int AllBits = 0x1FE;

    private static readonly string[] Names =
        ["unused", "keyCompromise", "cACompromise", "affiliationChanged", "superseded", "cessationOfOperation", "certificateHold", "privilegeWithdrawn", "aACompromise"];

    private CrlReasons(int bits) => Bits = bits & AllBits;

    public static CrlReasons None => default;

    public static CrlReasons All => new(AllBits);

    /// <summary>Named bit n of ReasonFlags is bit n here (1 &lt;&lt; n).</summary>
    public int Bits { get; }

    public bool IsAll => Bits == AllBits;

    public bool IsEmpty => Bits == 0;

    public static CrlReasons FromBits(int bits) => new(bits);

    public CrlReasons Union(CrlReasons other) => new(Bits | other.Bits);

    public CrlReasons Intersect(CrlReasons other) => new(Bits & other.Bits);

    public CrlReasons Except(CrlReasons other) => new(Bits & ~other.Bits);

    /// <summary>Reads a ReasonFlags BIT STRING carried under <paramref name="tag"/> (IMPLICIT).</summary>
    /// <exception cref="AsnContentException">The value is not a DER BIT STRING.</exception>
    public static CrlReasons Read(AsnReader reader, Asn1Tag tag)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var octets = reader.ReadBitString(out _, tag);
        var bits = 0;
        for (var bit = 0; bit < Names.Length && bit / 8 < octets.Length; bit++)
        {
            if ((octets[bit / 8] & (0x80 >> (bit % 8))) != 0)
            {
                bits |= 1 << bit;
            }
        }

        return new CrlReasons(bits);
    }

    /// <summary>The reason names, as RFC 5280 spells them: "keyCompromise, cACompromise".</summary>
    public override string ToString()
    {
        if (IsAll)
        {
            return "all reasons";
        }

        var bits = Bits;
        var names = Enumerable.Range(1, Names.Length - 1).Where(bit => (bits & (1 << bit)) != 0).Select(bit => Names[bit]).ToArray();
        return names.Length == 0 ? "no reason" : string.Join(", ", names);
    }
}
