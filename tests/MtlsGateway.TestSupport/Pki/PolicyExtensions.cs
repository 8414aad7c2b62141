using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.TestSupport.Pki;

/// <summary>RFC 5280's policy extensions, written with AsnWriter as raw X509Extension for CertificateRequest.</summary>
public static class PolicyExtensions
{
    public const string AnyPolicy = "2.5.29.32.0";

    /// <summary>The NIST test policy arc of PKITS: 2.16.840.1.101.3.2.1.48.N.</summary>
    public static string TestPolicy(int n) => $"2.16.840.1.101.3.2.1.48.{n}";

    public static X509Extension CertificatePolicies(params string[] oids) => new("2.5.29.32", Encode(writer =>
    {
        using (writer.PushSequence())
        {
            foreach (var oid in oids)
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(oid);
                }
            }
        }
    }), critical: false);

    public static X509Extension PolicyMappings(params (string IssuerDomain, string SubjectDomain)[] mappings) => new("2.5.29.33", Encode(writer =>
    {
        using (writer.PushSequence())
        {
            foreach (var (issuer, subject) in mappings)
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(issuer);
                    writer.WriteObjectIdentifier(subject);
                }
            }
        }
    }), critical: true);

    public static X509Extension PolicyConstraints(int? requireExplicitPolicy, int? inhibitPolicyMapping) => new("2.5.29.36", Encode(writer =>
    {
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
    }), critical: true);

    public static X509Extension InhibitAnyPolicy(int skipCerts) => new("2.5.29.54", Encode(writer => writer.WriteInteger(skipCerts)), critical: true);

    /// <summary>A certificatePolicies extension holding exactly the given encoded OID bytes (after the 06 tag and length).</summary>
    public static X509Extension CertificatePoliciesWithRawOid(byte[] oidContents)
    {
        var oid = new byte[] { 0x06, (byte)oidContents.Length }.Concat(oidContents).ToArray();
        var information = new byte[] { 0x30, (byte)oid.Length }.Concat(oid).ToArray();
        return new X509Extension("2.5.29.32", new byte[] { 0x30, (byte)information.Length }.Concat(information).ToArray(), critical: false);
    }

    private static byte[] Encode(Action<AsnWriter> write)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        write(writer);
        return writer.Encode();
    }
}
