using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.TestSupport.Pki;

/// <summary>
/// Writes CRLs with AsnWriter, for what CertificateRevocationListBuilder will not produce: unknown critical
/// extensions, removeFromCRL, negative serials, delta indicators, a missing nextUpdate, weak signatures.
/// </summary>
internal static class CrlWriter
{
    public static byte[] Write(X500DistinguishedName issuer, X509Certificate2 signer, CrlProfile profile)
    {
        var generator = SignatureGenerators.For(signer, profile.SignatureHash, profile.RsaPadding);
        var algorithm = generator.GetSignatureAlgorithmIdentifier(profile.SignatureHash);
        // AsnWriter grows its buffer a kilobyte at a time: a CRL of a million entries needs its size up front.
        var tbs = new AsnWriter(AsnEncodingRules.DER, initialCapacity: 1024 + (64 * profile.Entries.Count));
        using (tbs.PushSequence())
        {
            tbs.WriteInteger(1);
            tbs.WriteEncodedValue(algorithm);
            tbs.WriteEncodedValue(issuer.RawData);
            WriteTime(tbs, profile.ThisUpdate);
            if (profile.NextUpdate is { } next)
            {
                WriteTime(tbs, next);
            }

            if (profile.Entries.Count > 0)
            {
                using (tbs.PushSequence())
                {
                    foreach (var entry in profile.Entries)
                    {
                        WriteEntry(tbs, entry);
                    }
                }
            }

            var extensions = new List<X509Extension>();
            if (profile.AuthorityKeyIdentifier)
            {
                extensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(TestCa.KeyIdentifierOf(signer)));
            }

            if (profile.Number is { } number)
            {
                extensions.Add(TestExtensions.CrlNumber(number));
            }

            extensions.AddRange(profile.Extensions);
            if (extensions.Count > 0)
            {
                using (tbs.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                {
                    TestExtensions.WriteExtensions(tbs, extensions);
                }
            }
        }

        var toBeSigned = tbs.Encode();
        var crl = new AsnWriter(AsnEncodingRules.DER, initialCapacity: toBeSigned.Length + 1024);
        using (crl.PushSequence())
        {
            crl.WriteEncodedValue(toBeSigned);
            crl.WriteEncodedValue(algorithm);
            crl.WriteBitString(generator.SignData(toBeSigned, profile.SignatureHash));
        }

        return crl.Encode();
    }

    // RFC 5280 5.1.2.4: UTCTime through 2049, GeneralizedTime from 2050.
    private static void WriteTime(AsnWriter writer, DateTimeOffset time)
    {
        if (time.UtcDateTime.Year is >= 1950 and < 2050)
        {
            writer.WriteUtcTime(time);
        }
        else
        {
            writer.WriteGeneralizedTime(time, omitFractionalSeconds: true);
        }
    }

    private static void WriteEntry(AsnWriter writer, RevocationEntry entry)
    {
        using (writer.PushSequence())
        {
            writer.WriteInteger(entry.Serial);
            WriteTime(writer, entry.RevokedAt);
            var extensions = new List<X509Extension>();
            if (entry.Reason is { } reason)
            {
                extensions.Add(TestExtensions.CrlReason(reason));
            }

            if (entry.InvalidityDate is { } invalidity)
            {
                extensions.Add(TestExtensions.InvalidityDate(invalidity));
            }

            if (entry.Extension is { } extra)
            {
                extensions.Add(extra);
            }

            if (extensions.Count > 0)
            {
                TestExtensions.WriteExtensions(writer, extensions);
            }
        }
    }
}
