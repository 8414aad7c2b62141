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

    /// <summary>issuingDistributionPoint: the URI (if any) as its full name, and the scope flags that are set.</summary>
    public static X509Extension IssuingDistributionPoint(
        string? uri,
        bool onlyUserCertificates = false,
        bool onlyCaCertificates = false,
        X509RevocationReason[]? onlySomeReasons = null,
        bool indirectCrl = false)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            if (uri is not null)
            {
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                {
                    GeneralName.Uri(uri).WriteTo(writer);
                }
            }

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
        }

        return new X509Extension(Oids.IssuingDistributionPoint, writer.Encode(), critical: true);
    }

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

    // ReasonFlags bit positions (RFC 5280 5.2.5) equal the CRLReason values for keyCompromise(1) .. aACompromise(8).
    private static ReasonFlags ReasonFlagsOf(X509RevocationReason[] reasons) =>
        reasons.Aggregate(default(ReasonFlags), (flags, reason) => flags | (ReasonFlags)(1 << (int)reason));

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
