using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.TestSupport.Pki;

/// <summary>
/// Certificate and CRL extensions .NET has no type for, written with AsnWriter exactly as RFC 5280 lays them out.
/// (basicConstraints, keyUsage, extendedKeyUsage, SKI/AKI, AIA and CRL distribution points come from .NET itself.)
/// </summary>
public static class TestExtensions
{
    public static X509Extension SubjectAlternativeName(IEnumerable<GeneralName> names, bool critical = false) =>
        new(Oids.SubjectAlternativeName, GeneralNames(names), critical);

    public static X509Extension CertificatePolicies(IEnumerable<string> policyOids, bool critical = false)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var oid in policyOids)
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(oid);
                }
            }
        }

        return new X509Extension(Oids.CertificatePolicies, writer.Encode(), critical);
    }

    /// <summary>certificatePolicies holding one policy whose OID content octets are exactly as given (non-minimal, oversized arcs).</summary>
    public static X509Extension CertificatePoliciesWithRawOid(byte[] oidContents)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        {
            // WriteEncodedValue checks only the tag and length, so a non-DER OID is kept as given.
            writer.WriteEncodedValue(RawCertificate.Tlv(0x06, oidContents));
        }

        return new X509Extension(Oids.CertificatePolicies, writer.Encode(), critical: false);
    }

    public static X509Extension PolicyMappings(IEnumerable<(string IssuerDomainPolicy, string SubjectDomainPolicy)> mappings, bool critical = true)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var (issuerDomain, subjectDomain) in mappings)
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(issuerDomain);
                    writer.WriteObjectIdentifier(subjectDomain);
                }
            }
        }

        return new X509Extension(Oids.PolicyMappings, writer.Encode(), critical);
    }

    public static X509Extension PolicyConstraints(int? requireExplicitPolicy, int? inhibitPolicyMapping, bool critical = true)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            if (requireExplicitPolicy is { } require)
            {
                writer.WriteInteger(require, new Asn1Tag(TagClass.ContextSpecific, 0));
            }

            if (inhibitPolicyMapping is { } inhibit)
            {
                writer.WriteInteger(inhibit, new Asn1Tag(TagClass.ContextSpecific, 1));
            }
        }

        return new X509Extension(Oids.PolicyConstraints, writer.Encode(), critical);
    }

    public static X509Extension InhibitAnyPolicy(int skipCerts, bool critical = true) =>
        new(Oids.InhibitAnyPolicy, Integer(skipCerts), critical);

    public static X509Extension NameConstraints(IReadOnlyCollection<GeneralSubtree> permitted, IReadOnlyCollection<GeneralSubtree> excluded, bool critical = true)
    {
        ArgumentNullException.ThrowIfNull(permitted);
        ArgumentNullException.ThrowIfNull(excluded);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            WriteSubtrees(writer, 0, permitted);
            WriteSubtrees(writer, 1, excluded);
        }

        return new X509Extension(Oids.NameConstraints, writer.Encode(), critical);
    }

    public static X509Extension CrlNumber(BigInteger number) => new(Oids.CrlNumber, Integer(number), critical: false);

    public static X509Extension DeltaCrlIndicator(BigInteger baseCrlNumber) => new(Oids.DeltaCrlIndicator, Integer(baseCrlNumber), critical: true);

    /// <summary>
    /// issuingDistributionPoint: a distribution point name (a URI or a directory name as its full name, or a name
    /// relative to the CRL issuer such as "CN=CRL1"), and the scope flags that are set.
    /// </summary>
    public static X509Extension IssuingDistributionPoint(
        string? uri,
        bool onlyUserCertificates = false,
        bool onlyCaCertificates = false,
        X509RevocationReason[]? onlySomeReasons = null,
        bool indirectCrl = false,
        bool onlyAttributeCertificates = false,
        string? relativeName = null,
        X500DistinguishedName? directoryName = null)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            WriteDistributionPointName(writer, uri, directoryName, relativeName);
            if (onlyUserCertificates)
            {
                writer.WriteBoolean(true, new Asn1Tag(TagClass.ContextSpecific, 1));
            }

            if (onlyCaCertificates)
            {
                writer.WriteBoolean(true, new Asn1Tag(TagClass.ContextSpecific, 2));
            }

            if (onlySomeReasons is not null)
            {
                writer.WriteNamedBitList(ReasonFlagsOf(onlySomeReasons), new Asn1Tag(TagClass.ContextSpecific, 3));
            }

            if (indirectCrl)
            {
                writer.WriteBoolean(true, new Asn1Tag(TagClass.ContextSpecific, 4));
            }

            if (onlyAttributeCertificates)
            {
                writer.WriteBoolean(true, new Asn1Tag(TagClass.ContextSpecific, 5));
            }
        }

        return new X509Extension(Oids.IssuingDistributionPoint, writer.Encode(), critical: true);
    }

    /// <summary>cRLDistributionPoints with what .NET's builder cannot write: directory and relative names, reasons, cRLIssuer.</summary>
    public static X509Extension CrlDistributionPoints(params DistributionPoint[] points) => new(Oids.CrlDistributionPoints, DistributionPoints(points), critical: false);

    /// <summary>freshestCRL (same syntax as cRLDistributionPoints): where delta CRLs are published.</summary>
    public static X509Extension FreshestCrl(params DistributionPoint[] points) => new(Oids.FreshestCrl, DistributionPoints(points), critical: false);

    public static X509Extension CrlReason(X509RevocationReason reason)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteEnumeratedValue(reason);
        return new X509Extension(Oids.CrlReason, writer.Encode(), critical: false);
    }

    public static X509Extension InvalidityDate(DateTimeOffset invalidSince)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteGeneralizedTime(invalidSince, omitFractionalSeconds: true);
        return new X509Extension(Oids.InvalidityDate, writer.Encode(), critical: false);
    }

    /// <summary>certificateIssuer of an indirect CRL's entry.</summary>
    public static X509Extension CertificateIssuer(X500DistinguishedName issuer) =>
        new(Oids.CertificateIssuer, GeneralNames([GeneralName.Directory(issuer)]), critical: true);

    /// <summary>An extension no implementation knows (its value is NULL).</summary>
    public static X509Extension Unknown(bool critical) => new(Oids.Unknown, [0x05, 0x00], critical);

    internal static void WriteExtensions(AsnWriter writer, IEnumerable<X509Extension> extensions)
    {
        using (writer.PushSequence())
        {
            foreach (var extension in extensions)
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(extension.Oid!.Value!);
                    if (extension.Critical)
                    {
                        writer.WriteBoolean(true);
                    }

                    writer.WriteOctetString(extension.RawData);
                }
            }
        }
    }

    private static byte[] DistributionPoints(DistributionPoint[] points)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var point in points)
            {
                using (writer.PushSequence())
                {
                    WriteDistributionPointName(writer, point.Uri, point.DirectoryName, point.RelativeName);
                    if (point.Reasons is { } reasons)
                    {
                        writer.WriteNamedBitList(ReasonFlagsOf(reasons), new Asn1Tag(TagClass.ContextSpecific, 1));
                    }

                    if (point.CrlIssuer is { } crlIssuer)
                    {
                        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2, isConstructed: true)))
                        {
                            GeneralName.Directory(crlIssuer).WriteTo(writer);
                        }
                    }
                }
            }
        }

        return writer.Encode();
    }

    /// <summary>The [0] DistributionPointName, when any name is given: fullName, or nameRelativeToCRLIssuer.</summary>
    private static void WriteDistributionPointName(AsnWriter writer, string? uri, X500DistinguishedName? directoryName, string? relativeName)
    {
        if (uri is null && directoryName is null && relativeName is null)
        {
            return;
        }

        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
        {
            if (relativeName is not null)
            {
                // "CN=x" as a Name is SEQUENCE { SET {...} }: its one RDN, tagged [1] IMPLICIT instead of SET.
                var rdn = new AsnReader(new X500DistinguishedName(relativeName).RawData, AsnEncodingRules.DER).ReadSequence().ReadEncodedValue().ToArray();
                rdn[0] = 0xA1;
                writer.WriteEncodedValue(rdn);
                return;
            }

            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            {
                if (uri is not null)
                {
                    GeneralName.Uri(uri).WriteTo(writer);
                }

                if (directoryName is not null)
                {
                    GeneralName.Directory(directoryName).WriteTo(writer);
                }
            }
        }
    }

    private static byte[] GeneralNames(IEnumerable<GeneralName> names)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var name in names)
            {
                name.WriteTo(writer);
            }
        }

        return writer.Encode();
    }

    private static void WriteSubtrees(AsnWriter writer, int tag, IReadOnlyCollection<GeneralSubtree> subtrees)
    {
        if (subtrees.Count == 0)
        {
            return;
        }

        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, tag, isConstructed: true)))
        {
            foreach (var subtree in subtrees)
            {
                using (writer.PushSequence())
                {
                    subtree.Base.WriteTo(writer);
                    if (subtree.Minimum != 0)
                    {
                        writer.WriteInteger(subtree.Minimum, new Asn1Tag(TagClass.ContextSpecific, 0));
                    }

                    if (subtree.Maximum is { } maximum)
                    {
                        writer.WriteInteger(maximum, new Asn1Tag(TagClass.ContextSpecific, 1));
                    }
                }
            }
        }
    }

    private static byte[] Integer(BigInteger value)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteInteger(value);
        return writer.Encode();
    }

    // ReasonFlags bit positions (RFC 5280 4.2.1.13) equal the CRLReason values from keyCompromise(1) to
    // certificateHold(6); privilegeWithdrawn (CRLReason 9) is bit 7 and aACompromise (10) bit 8, as CRLReason 7 is unused
    // and removeFromCRL (8) is no reason a CRL covers.
    private static ReasonFlags ReasonFlagsOf(X509RevocationReason[] reasons) =>
        reasons.Aggregate(default(ReasonFlags), (flags, reason) => flags | reason switch
        {
            X509RevocationReason.PrivilegeWithdrawn => ReasonFlags.PrivilegeWithdrawn,
            X509RevocationReason.AACompromise => ReasonFlags.AaCompromise,
            X509RevocationReason.RemoveFromCrl => throw new ArgumentException("removeFromCRL is no reason flag", nameof(reasons)),
            _ => (ReasonFlags)(1 << (int)reason),
        });

    [Flags]
    private enum ReasonFlags
    {
        Unused = 1 << 0,
        KeyCompromise = 1 << 1,
        CaCompromise = 1 << 2,
        AffiliationChanged = 1 << 3,
        Superseded = 1 << 4,
        CessationOfOperation = 1 << 5,
        CertificateHold = 1 << 6,
        PrivilegeWithdrawn = 1 << 7,
        AaCompromise = 1 << 8,
    }
}
