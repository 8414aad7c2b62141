using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MtlsGateway.Validation.Certificates;

/// <summary>
/// The names a presented certificate carries must be what their types allow (RFC 5280 4.1.2.4, 4.1.2.6, 4.2.1.6):
/// no control characters, NUL, line separators or direction overrides in any name (they forge log lines and cut names short in C code: "good.test\0.evil"),
/// valid UTF-8/BMP/Universal strings, PrintableString and IA5String within their alphabets, SAN names without spaces,
/// IP addresses of 4 or 16 octets, a non-empty subjectAltName, and someone named at all.
/// </summary>
public static class NameConformance
{
    private const string PrintableExtras = " '()+,-./:=?";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly UnicodeEncoding StrictBmp = new(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true);
    private static readonly UTF32Encoding StrictUniversal = new(bigEndian: true, byteOrderMark: false, throwOnInvalidCharacters: true);

    /// <summary>Null when the names conform; otherwise which name is wrong and how, naming the certificate.</summary>
    public static string? Problem(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        try
        {
            var problem = NameProblem("subject", certificate.SubjectName.RawData)
                ?? NameProblem("issuer", certificate.IssuerName.RawData)
                ?? AlternativeNamesProblem(certificate);
            return problem is null ? null : $"{CertificateFields.Name(certificate)}: {problem}";
        }
        catch (Exception e) when (CertificateFields.IsDecodingFailure(e))
        {
            return $"{CertificateFields.Name(certificate)}: its names cannot be read ({e.Message})";
        }
    }

    private static string? NameProblem(string which, byte[] name)
    {
        var rdns = new AsnReader(name, AsnEncodingRules.DER).ReadSequence();
        while (rdns.HasData)
        {
            var attributes = rdns.ReadSetOf(skipSortOrderValidation: true);
            while (attributes.HasData)
            {
                var attribute = attributes.ReadSequence();
                var type = attribute.ReadObjectIdentifier();
                var tag = attribute.PeekTag();
                if (tag.TagClass == TagClass.Universal && !tag.IsConstructed && StringProblem((UniversalTagNumber)tag.TagValue, attribute.PeekContentBytes().Span) is { } problem)
                {
                    return $"{which} attribute {type} {problem}";
                }

                attribute.ReadEncodedValue();
            }
        }

        return null;
    }

    private static string? StringProblem(UniversalTagNumber type, ReadOnlySpan<byte> content)
    {
        string text;
        try
        {
            text = type switch
            {
                UniversalTagNumber.UTF8String => StrictUtf8.GetString(content),
                UniversalTagNumber.BMPString => content.Length % 2 == 0 ? StrictBmp.GetString(content) : throw new DecoderFallbackException("odd length"),
                UniversalTagNumber.UniversalString => content.Length % 4 == 0 ? StrictUniversal.GetString(content) : throw new DecoderFallbackException("length not a multiple of 4"),
                UniversalTagNumber.PrintableString or UniversalTagNumber.IA5String or UniversalTagNumber.T61String or UniversalTagNumber.VisibleString
                    => Encoding.Latin1.GetString(content),
                _ => string.Empty,
            };
        }
        catch (DecoderFallbackException)
        {
            return $"is not a valid {type}";
        }

        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                return c == '\0' ? "holds a NUL character" : $"holds the control character U+{(int)c:X4}";
            }

            if (c is '\u2028' or '\u2029' or '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069'))
            {
                // A line break or a direction override makes a name display as another one.
                return $"holds the line or direction control U+{(int)c:X4}";
            }

            if (type == UniversalTagNumber.PrintableString && !char.IsAsciiLetterOrDigit(c) && !PrintableExtras.Contains(c, StringComparison.Ordinal))
            {
                return $"holds '{c}', which PrintableString does not allow";
            }

            if (type is UniversalTagNumber.IA5String or UniversalTagNumber.VisibleString && c > '\u007E')
            {
                return $"holds a byte above 0x7E, which {type} does not allow";
            }
        }

        return null;
    }

    private static string? AlternativeNamesProblem(X509Certificate2 certificate)
    {
        var extension = certificate.Extensions[Oids.SubjectAlternativeName];
        if (extension is null)
        {
            return certificate.SubjectName.RawData.Length <= 2 ? "the subject is empty and there is no subjectAltName: the certificate names no one" : null;
        }

        var names = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
        if (!names.HasData)
        {
            return "subjectAltName is empty (it must hold at least one name)";
        }

        while (names.HasData)
        {
            var tag = names.PeekTag();
            var content = names.PeekContentBytes().Span;
            names.ReadEncodedValue();
            if (tag.TagClass != TagClass.ContextSpecific || tag.IsConstructed)
            {
                continue;
            }

            var kind = tag.TagValue switch { 1 => "rfc822Name", 2 => "dNSName", 6 => "uniformResourceIdentifier", 7 => "iPAddress", _ => null };
            if (kind == "iPAddress" && content.Length is not (4 or 16))
            {
                return $"subjectAltName iPAddress is {content.Length} octets long (4 or 16)";
            }

            if (kind is "rfc822Name" or "dNSName" or "uniformResourceIdentifier")
            {
                if (content.IsEmpty)
                {
                    return $"subjectAltName {kind} is empty";
                }

                foreach (var b in content)
                {
                    if (b is < 0x21 or > 0x7E)
                    {
                        return b == 0 ? $"subjectAltName {kind} holds a NUL character" : $"subjectAltName {kind} holds the byte 0x{b:X2} (only printable ASCII without spaces)";
                    }
                }
            }
        }

        return null;
    }
}
