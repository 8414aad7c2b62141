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

    /// <summary>
    /// Why this CRL does not cover <paramref name="certificate"/> (RFC 5280 6.3.3 b.2); null when it does.
    /// A CRL naming a distribution point covers only certificates whose cRLDistributionPoints name it too.
    /// </summary>
    public string? ScopeProblem(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var isCa = certificate.Extensions.OfType<System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension>().FirstOrDefault() is { CertificateAuthority: true };
        if (OnlyUserCertificates && isCa)
        {
            return "the CRL covers only end-entity certificates";
        }

        if (OnlyCaCertificates && !isCa)
        {
            return "the CRL covers only CA certificates";
        }

        if (FullNames.Count == 0)
        {
            return null;
        }

        var certificateNames = CertificateDistributionPointNames(certificate);
        return FullNames.Any(name => certificateNames.Any(other => other.Span.SequenceEqual(name.Span)))
            ? null
            : "the CRL's issuingDistributionPoint matches none of the certificate's CRL distribution points";
    }

    private static List<ReadOnlyMemory<byte>> CertificateDistributionPointNames(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        var names = new List<ReadOnlyMemory<byte>>();
        var extension = certificate.Extensions["2.5.29.31"];
        if (extension is null)
        {
            return names;
        }

        try
        {
            var points = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
            while (points.HasData)
            {
                var point = points.ReadSequence();
                while (point.HasData)
                {
                    var tag = point.PeekTag();
                    if (tag.HasSameClassAndValue(DistributionPointTag))
                    {
                        var name = point.ReadSequence(DistributionPointTag);
                        if (name.HasData && name.PeekTag().HasSameClassAndValue(FullNameTag))
                        {
                            AddAll(name.ReadSequence(FullNameTag), names);
                        }
                    }
                    else if (tag.HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 2, isConstructed: true)))
                    {
                        AddAll(point.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 2, isConstructed: true)), names);
                    }
                    else
                    {
                        point.ReadEncodedValue();
                    }
                }
            }
        }
        catch (AsnContentException)
        {
            // A malformed extension names nothing, so the CRL is not taken to cover the certificate.
            names.Clear();
        }

        return names;
    }

    private static void AddAll(AsnReader generalNames, List<ReadOnlyMemory<byte>> names)
    {
        while (generalNames.HasData)
        {
            names.Add(generalNames.ReadEncodedValue());
        }
    }

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
