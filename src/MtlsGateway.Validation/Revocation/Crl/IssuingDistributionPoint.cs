using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.Validation.Revocation.Crl;

/// <summary>
/// The issuingDistributionPoint CRL extension (RFC 5280 5.2.5): which certificates a CRL covers (a distribution
/// point, only end-entity or only CA certificates, only some reasons) and whether it is indirect (lists certificates
/// of other issuers too). Ignoring it would let a partial CRL vouch for certificates it never lists; the scope is
/// checked as RFC 5280 6.3.3 (b) says.
/// </summary>
public sealed class IssuingDistributionPoint
{
    private static readonly Asn1Tag NameTag = new(TagClass.ContextSpecific, 0, isConstructed: true);

    private IssuingDistributionPoint(ReadOnlyMemory<byte> encoded)
    {
        Encoded = encoded;
    }

    /// <summary>The extension value as encoded (DER): a delta CRL's must be identical to its base CRL's.</summary>
    public ReadOnlyMemory<byte> Encoded { get; }

    public bool OnlyUserCertificates { get; private init; }

    public bool OnlyCaCertificates { get; private init; }

    public bool OnlyAttributeCertificates { get; private init; }

    /// <summary>The reasons this CRL covers; all of them unless onlySomeReasons says otherwise.</summary>
    public CrlReasons Reasons { get; private init; } = CrlReasons.All;

    /// <summary>The CRL may list certificates of other issuers (certificateIssuer entry extension).</summary>
    public bool IndirectCrl { get; private init; }

    internal DistributionPointName? Name { get; private init; }

    /// <summary>A contradiction in the extension that makes the CRL unusable; null when it is well formed.</summary>
    internal string? Malformed { get; private init; }

    /// <summary>
    /// Why this CRL does not cover <paramref name="certificate"/> through its distribution point
    /// <paramref name="point"/> (RFC 5280 6.3.3 b.2); null when it does.
    /// </summary>
    /// <param name="crlIssuerName">The CRL's issuer (DER Name), to which a relative distribution point name is appended.</param>
    internal string? ScopeProblem(X509Certificate2 certificate, CertificateDistributionPoint point, ReadOnlyMemory<byte> crlIssuerName)
    {
        var isCa = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is { CertificateAuthority: true };
        if (OnlyUserCertificates && isCa)
        {
            return "covers only end-entity certificates (onlyContainsUserCerts), and this is a CA certificate";
        }

        if (OnlyCaCertificates && !isCa)
        {
            return "covers only CA certificates (onlyContainsCACerts)";
        }

        if (OnlyAttributeCertificates)
        {
            return "covers only attribute certificates (onlyContainsAttributeCerts)";
        }

        if (Name is null)
        {
            return null;
        }

        var crlNames = Name.Resolve([crlIssuerName]);
        var certificateNames = point.Name is { } name ? name.Resolve(point.CrlIssuerNames(certificate)) : point.CrlIssuer;
        return crlNames.Any(crlName => certificateNames.Any(crlName.Matches))
            ? null
            : $"is the CRL of distribution point {string.Join(" or ", crlNames)}, which the certificate does not name";
    }

    /// <exception cref="AsnContentException">The extension is malformed.</exception>
    internal static IssuingDistributionPoint Parse(ReadOnlyMemory<byte> value)
    {
        var reader = new AsnReader(value, AsnEncodingRules.DER);
        var sequence = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        DistributionPointName? name = null;
        bool onlyUser = false, onlyCa = false, indirect = false, onlyAttribute = false;
        var reasons = CrlReasons.All;
        var previous = -1;
        while (sequence.HasData)
        {
            var tag = sequence.PeekTag();
            if (tag.TagClass != TagClass.ContextSpecific || tag.TagValue <= previous)
            {
                throw new AsnContentException("unexpected element in issuingDistributionPoint");
            }

            previous = tag.TagValue;
            switch (tag.TagValue)
            {
                case 0:
                    name = DistributionPointName.Read(sequence.ReadSequence(NameTag));
                    break;
                case 1:
                    onlyUser = ReadBoolean(sequence, 1);
                    break;
                case 2:
                    onlyCa = ReadBoolean(sequence, 2);
                    break;
                case 3:
                    reasons = CrlReasons.Read(sequence, new Asn1Tag(TagClass.ContextSpecific, 3));
                    break;
                case 4:
                    indirect = ReadBoolean(sequence, 4);
                    break;
                case 5:
                    onlyAttribute = ReadBoolean(sequence, 5);
                    break;
                default:
                    throw new AsnContentException("unexpected element in issuingDistributionPoint");
            }
        }

        string? malformed = null;
        if ((onlyUser ? 1 : 0) + (onlyCa ? 1 : 0) + (onlyAttribute ? 1 : 0) > 1)
        {
            malformed = "its issuingDistributionPoint asserts more than one of onlyContainsUserCerts, onlyContainsCACerts and onlyContainsAttributeCerts";
        }
        else if (reasons.IsEmpty)
        {
            malformed = "its issuingDistributionPoint limits it to no reason at all";
        }

        return new IssuingDistributionPoint(value)
        {
            Name = name,
            OnlyUserCertificates = onlyUser,
            OnlyCaCertificates = onlyCa,
            OnlyAttributeCertificates = onlyAttribute,
            Reasons = reasons,
            IndirectCrl = indirect,
            Malformed = malformed,
        };
    }

    private static bool ReadBoolean(AsnReader sequence, int tag) => sequence.ReadBoolean(new Asn1Tag(TagClass.ContextSpecific, tag));
}
