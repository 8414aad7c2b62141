using System.Formats.Asn1;

namespace MtlsGateway.Validation.Revocation.Crl;

/// <summary>
/// The issuingDistributionPoint CRL extension (RFC 5280 5.2.5): it narrows which certificates a CRL covers.
/// Ignoring it would let a partial CRL vouch for certificates it never lists, so what is not implemented here
/// (reason partitions, indirect CRLs, attribute certificates, relative names) makes the CRL unusable.
/// </summary>
public sealed class IssuingDistributionPoint
{
    private static readonly Asn1Tag DistributionPointTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag FullNameTag = new(TagClass.ContextSpecific, 0, isConstructed: true);

    private IssuingDistributionPoint(IReadOnlyList<ReadOnlyMemory<byte>> fullNames, bool onlyUserCertificates, bool onlyCaCertificates, string? unsupported)
    {
        FullNames = fullNames;
        OnlyUserCertificates = onlyUserCertificates;
        OnlyCaCertificates = onlyCaCertificates;
        Unsupported = unsupported;
    }

    /// <summary>The distribution point's GeneralNames, each as encoded; empty when the CRL names no distribution point.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> FullNames { get; }

    public bool OnlyUserCertificates { get; }

    public bool OnlyCaCertificates { get; }

    internal string? Unsupported { get; }

    internal static IssuingDistributionPoint Parse(ReadOnlyMemory<byte> value)
    {
        var sequence = new AsnReader(value, AsnEncodingRules.DER).ReadSequence();
        var fullNames = new List<ReadOnlyMemory<byte>>();
        bool onlyUser = false, onlyCa = false;
        var unsupported = new List<string>();
        while (sequence.HasData)
        {
            var tag = sequence.PeekTag();
            if (tag.TagClass != TagClass.ContextSpecific)
            {
                throw new AsnContentException("unexpected element in issuingDistributionPoint");
            }

            switch (tag.TagValue)
            {
                case 0:
                    var name = sequence.ReadSequence(DistributionPointTag);
                    if (name.PeekTag().HasSameClassAndValue(FullNameTag))
                    {
                        var generalNames = name.ReadSequence(FullNameTag);
                        while (generalNames.HasData)
                        {
                            fullNames.Add(generalNames.ReadEncodedValue());
                        }
                    }
                    else
                    {
                        name.ReadEncodedValue();
                        unsupported.Add("its issuingDistributionPoint uses nameRelativeToCRLIssuer (not supported)");
                    }

                    name.ThrowIfNotEmpty();
                    break;
                case 1:
                    onlyUser = sequence.ReadBoolean(new Asn1Tag(TagClass.ContextSpecific, 1));
                    break;
                case 2:
                    onlyCa = sequence.ReadBoolean(new Asn1Tag(TagClass.ContextSpecific, 2));
                    break;
                case 3:
                    sequence.ReadEncodedValue();
                    unsupported.Add("its issuingDistributionPoint has onlySomeReasons (reason-partitioned CRLs are not supported)");
                    break;
                case 4:
                    if (sequence.ReadBoolean(new Asn1Tag(TagClass.ContextSpecific, 4)))
                    {
                        unsupported.Add("it is an indirect CRL (not supported)");
                    }

                    break;
                case 5:
                    if (sequence.ReadBoolean(new Asn1Tag(TagClass.ContextSpecific, 5)))
                    {
                        unsupported.Add("it covers only attribute certificates");
                    }

                    break;
                default:
                    throw new AsnContentException("unexpected element in issuingDistributionPoint");
            }
        }

        if (onlyUser && onlyCa)
        {
            unsupported.Add("its issuingDistributionPoint claims both onlyContainsUserCerts and onlyContainsCACerts");
        }

        return new IssuingDistributionPoint(fullNames, onlyUser, onlyCa, unsupported.Count == 0 ? null : string.Join("; ", unsupported));
    }
}
