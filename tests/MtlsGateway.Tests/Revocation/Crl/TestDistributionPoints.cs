using System.Collections;
using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.Tests.Revocation.Crl;

/// <summary>
/// Writes cRLDistributionPoints extensions with AsnWriter, for what CertificateRevocationListBuilder will not produce:
/// directory and relative names, reasons, cRLIssuer.
/// </summary>
internal static class TestDistributionPoints
{
    public static X509Extension Extension(params TestDistributionPoint[] points)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var point in points)
            {
                using (writer.PushSequence())
                {
                    if (point.Uri is not null || point.DirectoryName is not null || point.RelativeName is not null)
                    {
                        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                        {
                            WriteName(writer, point.Uri, point.DirectoryName, point.RelativeName);
                        }
                    }

                    if (point.Reasons is { } reasons)
                    {
                        WriteReasons(writer, reasons, new Asn1Tag(TagClass.ContextSpecific, 1));
                    }

                    if (point.CrlIssuer is { } crlIssuer)
                    {
                        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2, isConstructed: true)))
                        {
                            WriteDirectoryName(writer, crlIssuer);
                        }
                    }
                }
            }
        }

        return new X509Extension("2.5.29.31", writer.Encode(), critical: false);
    }

    /// <summary>The DistributionPointName CHOICE: fullName (a URI or a directory name) or nameRelativeToCRLIssuer.</summary>
    public static void WriteName(AsnWriter writer, string? uri, X500DistinguishedName? directoryName, string? relativeName)
    {
        if (relativeName is not null)
        {
            // "CN=x" as a Name is SEQUENCE { SET {...} }: its one RDN, tagged [1] instead of SET.
            var rdn = new AsnReader(new X500DistinguishedName(relativeName).RawData, AsnEncodingRules.DER).ReadSequence().ReadEncodedValue().ToArray();
            rdn[0] = 0xA1;
            writer.WriteEncodedValue(rdn);
            return;
        }

        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
        {
            if (uri is not null)
            {
                writer.WriteCharacterString(UniversalTagNumber.IA5String, uri, new Asn1Tag(TagClass.ContextSpecific, 6));
            }

            if (directoryName is not null)
            {
                WriteDirectoryName(writer, directoryName);
            }
        }
    }

    public static void WriteDirectoryName(AsnWriter writer, X500DistinguishedName name)
    {
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 4, isConstructed: true)))
        {
            writer.WriteEncodedValue(name.RawData);
        }
    }

    /// <summary>ReasonFlags: keyCompromise is bit 1 ... certificateHold bit 6, privilegeWithdrawn 7, aACompromise 8.</summary>
    public static void WriteReasons(AsnWriter writer, X509RevocationReason[] reasons, Asn1Tag tag)
    {
        var bits = new BitArray(9);
        foreach (var reason in reasons)
        {
            bits[reason switch
            {
                X509RevocationReason.PrivilegeWithdrawn => 7,
                X509RevocationReason.AACompromise => 8,
                X509RevocationReason.RemoveFromCrl => throw new ArgumentException("removeFromCRL is no reason flag", nameof(reasons)),
                _ => (int)reason,
            }] = true;
        }

        writer.WriteNamedBitList(bits, tag);
    }
}
