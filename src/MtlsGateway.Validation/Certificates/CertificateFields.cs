using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Validation.Identity;
using MtlsGateway.Validation.Policies;

namespace MtlsGateway.Validation.Certificates;

/// <summary>
/// Reads every field of a certificate that the gateway (the validator, the identity of authorization and forwarding,
/// logs) reads later, and says which one cannot be read. X509Certificate2 loads certificates its own properties then
/// cannot represent (a notBefore in year 0 throws from <see cref="X509Certificate2.NotBefore"/>), and decodes
/// extensions only when asked: a field that cannot be read is a refusal, found here once, before anything relies on it.
/// </summary>
public static class CertificateFields
{
    private const int MaxNesting = 32;
    private const int MaxSerialOctets = 20;

    /// <summary>The extensions whose content the gateway reads: their values must be exactly one DER element.</summary>
    private static readonly HashSet<string> ReadExtensions = new(StringComparer.Ordinal)
    {
        Oids.SubjectAlternativeName, Oids.BasicConstraints, Oids.KeyUsage, Oids.ExtendedKeyUsage, Oids.SubjectKeyIdentifier,
        Oids.AuthorityKeyIdentifier, Oids.CrlDistributionPoints, Oids.NameConstraints, Oids.AuthorityInformationAccess,
    };

    /// <summary>
    /// certificatePolicies, policyMappings, policyConstraints, inhibitAnyPolicy: RFC 5280 policy processing judges
    /// these (malformed, repeated) with its own detail, naming the policy.
    /// </summary>
    private static readonly HashSet<string> PolicyExtensions = new(StringComparer.Ordinal) { CertificatePolicyOids.CertificatePolicies, CertificatePolicyOids.PolicyMappings, CertificatePolicyOids.PolicyConstraints, CertificatePolicyOids.InhibitAnyPolicy };

    /// <summary>
    /// Null when every field can be read and the certificate is well-formed (DER outside the signature, a known
    /// version, each extension once); otherwise what is wrong, naming the field ("notBefore", "subject",
    /// "extension 2.5.29.17 (subjectAltName)"), the certificate by its SHA-256 and, where readable, its subject.
    /// </summary>
    public static string? Unreadable(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (FirstUnreadableField(certificate) is not { } field)
        {
            return null;
        }

        return $"{Name(certificate)}: {field}";
    }

    /// <summary>The certificate as a detail names it: its subject where readable, always its SHA-256.</summary>
    public static string Name(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var sha256 = Convert.ToHexString(SHA256.HashData(certificate.RawDataMemory.Span));
        var subject = SubjectOrNull(certificate);
        return string.IsNullOrEmpty(subject) ? $"the certificate with sha256 {sha256}" : $"'{subject}' (sha256 {sha256})";
    }

    /// <summary>The subject, or null when it cannot be read: never throws.</summary>
    public static string? SubjectOrNull(X509Certificate2 certificate) => Try(() => certificate.Subject);

    /// <summary>The subject, or "(unreadable subject)".</summary>
    public static string Subject(X509Certificate2 certificate) => Try(() => certificate.Subject) ?? "(unreadable subject)";

    /// <summary>The issuer, or "(unreadable issuer)".</summary>
    public static string Issuer(X509Certificate2 certificate) => Try(() => certificate.Issuer) ?? "(unreadable issuer)";

    /// <summary>The serial number in hex, or "(unreadable serial)".</summary>
    public static string SerialNumber(X509Certificate2 certificate) => Try(() => certificate.SerialNumber) ?? "(unreadable serial)";

    private static string? FirstUnreadableField(X509Certificate2 certificate)
    {
        return EncodingProblem(certificate.RawDataMemory)
            ?? Check("subject", () => certificate.SubjectName.Name + certificate.SubjectName.Decode(X500DistinguishedNameFlags.Reversed) + certificate.Subject)
            ?? Check("issuer", () => certificate.IssuerName.Name + certificate.IssuerName.Decode(X500DistinguishedNameFlags.Reversed) + certificate.Issuer)
            ?? Check("serialNumber", () => certificate.SerialNumber)
            ?? Check("version", () => certificate.Version)
            ?? Check("notBefore" + RawTime(certificate, 0), () => certificate.NotBefore)
            ?? Check("notAfter" + RawTime(certificate, 1), () => certificate.NotAfter)
            ?? Check("subjectPublicKeyInfo", () => certificate.PublicKey.ExportSubjectPublicKeyInfo())
            ?? Check("signatureAlgorithm", () => certificate.SignatureAlgorithm.Value)
            ?? VersionProblem(certificate)
            ?? ExtensionsProblem(certificate);
    }

    /// <summary>
    /// The whole certificate must be DER, down to every element of the signed part, with nothing after it: the platform
    /// also loads BER (indefinite lengths, long-form lengths, constructed strings) and trailing bytes, which would give
    /// one signed certificate many encodings, and parsers that disagree about what it says.
    /// </summary>
    private static string? EncodingProblem(ReadOnlyMemory<byte> der)
    {
        try
        {
            var outer = new AsnReader(der, AsnEncodingRules.DER);
            var certificate = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            var toBeSigned = certificate.ReadEncodedValue();
            if (DerProblem(toBeSigned, depth: 0) is { } problem)
            {
                return "the certificate is not DER-encoded (" + problem + ")";
            }

            var algorithm = certificate.ReadSequence();
            algorithm.ReadObjectIdentifier();
            if (algorithm.HasData)
            {
                algorithm.ReadEncodedValue();
            }

            algorithm.ThrowIfNotEmpty();
            certificate.ReadBitString(out var unusedBits);
            certificate.ThrowIfNotEmpty();
            return unusedBits == 0 ? null : "the signature BIT STRING has unused bits";
        }
        catch (AsnContentException e)
        {
            return "the certificate is not DER-encoded (" + e.Message + ")";
        }
    }

    /// <summary>
    /// Walks one element and, if constructed, everything inside it, reading each length under DER. Null when all is DER.
    /// Deeper nesting than any certificate structure needs is refused rather than followed.
    /// </summary>
    private static string? DerProblem(ReadOnlyMemory<byte> element, int depth)
    {
        if (depth > MaxNesting)
        {
            return $"nested more than {MaxNesting} levels deep";
        }

        try
        {
            var reader = new AsnReader(element, AsnEncodingRules.DER);
            var tag = reader.PeekTag();
            var content = reader.PeekContentBytes();
            reader.ReadEncodedValue();
            reader.ThrowIfNotEmpty();
            if (!tag.IsConstructed)
            {
                return null;
            }

            if (tag.TagClass == TagClass.Universal && tag.TagValue is not ((int)UniversalTagNumber.Sequence or (int)UniversalTagNumber.Set))
            {
                return $"a constructed universal {tag.TagValue}, which DER writes primitive";
            }

            var inner = new AsnReader(content, AsnEncodingRules.DER);
            while (inner.HasData)
            {
                if (DerProblem(inner.ReadEncodedValue(), depth + 1) is { } problem)
                {
                    return problem;
                }
            }

            return null;
        }
        catch (AsnContentException e)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// RFC 5280 4.1.2.2: at most 20 octets, the most a certificate user must handle. A negative or zero serial is
    /// non-conforming too, but RFC 5280 asks users to handle it gracefully (PKITS 4.4.15 revokes one by its CRL): it
    /// is judged like any other.
    /// </summary>
    public static string? SerialNumberProblem(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var length = certificate.SerialNumberBytes.Length;
        return length > MaxSerialOctets
            ? $"{Name(certificate)}: serialNumber is {length} octets long, more than the {MaxSerialOctets} RFC 5280 allows"
            : null;
    }

    /// <summary>RFC 5280 4.1.2.1: versions 1 to 3 only, and extensions only in version 3.</summary>
    private static string? VersionProblem(X509Certificate2 certificate)
    {
        var version = certificate.Version;
        if (version is < 1 or > 3)
        {
            return $"version {version} is not a version of X.509 (1, 2 or 3)";
        }

        return version < 3 && certificate.Extensions.Count > 0 ? $"a version {version} certificate carries extensions, which only version 3 may" : null;
    }

    private static string? ExtensionsProblem(X509Certificate2 certificate)
    {
        X509ExtensionCollection extensions;
        try
        {
            extensions = certificate.Extensions;
        }
        catch (Exception e) when (IsDecodingFailure(e))
        {
            return "the extensions cannot be read (" + e.Message + ")";
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var extension in extensions)
        {
            var oid = extension.Oid?.Value ?? "(no OID)";
            if (PolicyExtensions.Contains(oid))
            {
                continue;
            }

            if (!seen.Add(oid))
            {
                // RFC 5280 4.2: a certificate must not include more than one instance of an extension. Which one a
                // reader takes is up to the reader, so the two could be read differently along the way.
                return $"extension {Describe(oid)} appears more than once";
            }

            if (ReadExtensions.Contains(oid) && DerProblem(extension.RawData, depth: 0) is { } encoding)
            {
                return $"extension {Describe(oid)} is not one DER value ({encoding})";
            }

            var problem = Check($"extension {Describe(oid)}", () => ReadTyped(extension));
            if (problem is not null)
            {
                return problem;
            }
        }

        return Check($"extension {Describe(Oids.SubjectAlternativeName)}", () => SubjectAlternativeNames.Read(certificate));
    }

    private static object ReadTyped(X509Extension extension) => extension switch
    {
        X509BasicConstraintsExtension constraints => (constraints.CertificateAuthority, constraints.HasPathLengthConstraint, constraints.PathLengthConstraint),
        X509KeyUsageExtension usage => usage.KeyUsages,
        X509EnhancedKeyUsageExtension enhanced => enhanced.EnhancedKeyUsages.Count,
        X509SubjectKeyIdentifierExtension identifier => identifier.SubjectKeyIdentifier ?? string.Empty,
        X509AuthorityKeyIdentifierExtension authority => authority.KeyIdentifier?.Length ?? 0,
        _ => extension.RawData.Length,
    };

    private static string Describe(string oid) => oid switch
    {
        Oids.SubjectAlternativeName => $"{oid} (subjectAltName)",
        Oids.BasicConstraints => $"{oid} (basicConstraints)",
        Oids.KeyUsage => $"{oid} (keyUsage)",
        Oids.ExtendedKeyUsage => $"{oid} (extendedKeyUsage)",
        Oids.SubjectKeyIdentifier => $"{oid} (subjectKeyIdentifier)",
        Oids.AuthorityKeyIdentifier => $"{oid} (authorityKeyIdentifier)",
        _ => oid,
    };

    private static string? Check(string field, Func<object?> read)
    {
        try
        {
            _ = read();
            return null;
        }
        catch (Exception e) when (IsDecodingFailure(e))
        {
            return $"{field} cannot be read ({e.Message})";
        }
    }

    /// <summary>The time as encoded (" 00000101000000Z"), so the detail shows what could not be represented.</summary>
    private static string RawTime(X509Certificate2 certificate, int index)
    {
        try
        {
            var tbs = new AsnReader(certificate.RawDataMemory, AsnEncodingRules.DER).ReadSequence().ReadSequence();
            if (tbs.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            {
                tbs.ReadEncodedValue();
            }

            tbs.ReadEncodedValue(); // serialNumber
            tbs.ReadEncodedValue(); // signature
            tbs.ReadEncodedValue(); // issuer
            var validity = tbs.ReadSequence();
            var time = validity.ReadEncodedValue();
            if (index == 1)
            {
                time = validity.ReadEncodedValue();
            }

            var content = new AsnReader(time, AsnEncodingRules.BER).PeekContentBytes();
            var text = System.Text.Encoding.ASCII.GetString(content.Span);
            return text.All(c => c is >= ' ' and <= '~') && text.Length <= 32 ? $" {text}" : string.Empty;
        }
        catch (Exception e) when (IsDecodingFailure(e))
        {
            return string.Empty;
        }
    }

    private static T? Try<T>(Func<T> read)
        where T : class
    {
        try
        {
            return read();
        }
        catch (Exception e) when (IsDecodingFailure(e))
        {
            return null;
        }
    }

    /// <summary>What .NET throws for content it cannot decode or represent.</summary>
    internal static bool IsDecodingFailure(Exception e) =>
        e is CryptographicException or AsnContentException or ArgumentException or FormatException or OverflowException
            or InvalidOperationException or IndexOutOfRangeException or NotSupportedException or System.Text.DecoderFallbackException;
}
