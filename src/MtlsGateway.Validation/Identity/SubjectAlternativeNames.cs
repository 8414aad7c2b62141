using MtlsGateway.Validation.Certificates;
using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.Validation.Identity;

/// <summary>
/// The subject alternative names a client identity is made of. Read by hand with System.Formats.Asn1 because .NET's
/// X509SubjectAlternativeNameExtension only enumerates DNS names and IP addresses, not URIs, e-mail addresses or UPNs.
/// </summary>
public sealed record SubjectAlternativeNames(
    IReadOnlyList<string> DnsNames,
    IReadOnlyList<string> Uris,
    IReadOnlyList<string> Emails,
    IReadOnlyList<string> UserPrincipalNames)
{
    private const string SubjectAlternativeNameOid = Oids.SubjectAlternativeName;
    private const string UserPrincipalNameOid = "1.3.6.1.4.1.311.20.2.3";

    private static readonly Asn1Tag OtherName = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag Rfc822Name = new(TagClass.ContextSpecific, 1);
    private static readonly Asn1Tag DnsName = new(TagClass.ContextSpecific, 2);
    private static readonly Asn1Tag UniformResourceIdentifier = new(TagClass.ContextSpecific, 6);

    public static SubjectAlternativeNames Empty { get; } = new([], [], [], []);

    /// <summary>
    /// Reads the names; a malformed extension yields no names rather than a guess. The validator refuses such a
    /// certificate before any identity is read from it (<see cref="CertificateFields"/>).
    /// </summary>
    public static SubjectAlternativeNames Of(X509Certificate2 certificate)
    {
        try
        {
            return Read(certificate);
        }
        catch (AsnContentException)
        {
            return Empty;
        }
    }

    /// <exception cref="AsnContentException">The extension is malformed.</exception>
    public static SubjectAlternativeNames Read(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var extension = certificate.Extensions[SubjectAlternativeNameOid];
        return extension is null ? Empty : Parse(extension.RawData);
    }

    private static SubjectAlternativeNames Parse(byte[] der)
    {
        List<string> dns = [], uris = [], emails = [], upns = [];
        var reader = new AsnReader(der, AsnEncodingRules.DER);
        var names = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        while (names.HasData)
        {
            var tag = names.PeekTag();
            if (tag.HasSameClassAndValue(DnsName))
            {
                dns.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, DnsName));
            }
            else if (tag.HasSameClassAndValue(UniformResourceIdentifier))
            {
                uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, UniformResourceIdentifier));
            }
            else if (tag.HasSameClassAndValue(Rfc822Name))
            {
                emails.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, Rfc822Name));
            }
            else if (tag.HasSameClassAndValue(OtherName) && ReadUserPrincipalName(names.ReadSequence(OtherName)) is { } upn)
            {
                upns.Add(upn);
            }
            else
            {
                names.ReadEncodedValue();
            }
        }

        return new SubjectAlternativeNames(dns, uris, emails, upns);
    }

    private static string? ReadUserPrincipalName(AsnReader otherName)
    {
        var type = otherName.ReadObjectIdentifier();
        var value = otherName.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true));
        return type == UserPrincipalNameOid ? value.ReadCharacterString(UniversalTagNumber.UTF8String) : null;
    }
}
