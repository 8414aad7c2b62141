using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Validation.Certificates;

namespace MtlsGateway.Validation.Identity;

/// <summary>Everything an authorization rule or an identity header can say about a client certificate, read once.</summary>
public sealed class CertificateIdentity
{
    private const string CommonNameOid = Oids.CommonName;
    private const string OrganizationOid = Oids.Organization;
    private const string OrganizationalUnitOid = Oids.OrganizationalUnit;

    public CertificateIdentity(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        Certificate = certificate;
        Subject = certificate.SubjectName.Decode(X500DistinguishedNameFlags.Reversed);
        Issuer = certificate.IssuerName.Decode(X500DistinguishedNameFlags.Reversed);
        CommonNames = AttributeValues(certificate.SubjectName, CommonNameOid);
        Organizations = AttributeValues(certificate.SubjectName, OrganizationOid);
        OrganizationalUnits = AttributeValues(certificate.SubjectName, OrganizationalUnitOid);
        AlternativeNames = SubjectAlternativeNames.Of(certificate);
        SerialNumber = certificate.SerialNumber;
        Sha256Thumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        SpkiPin = Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>
    /// The subject DN in .NET's display form, most specific first ("CN=alice, O=Acme"), as X509Certificate2.Subject
    /// shows it; distinguished names in rules are normalised to the same form.
    /// </summary>
    public string Subject { get; }

    public string Issuer { get; }

    public IReadOnlyList<string> CommonNames { get; }

    public IReadOnlyList<string> Organizations { get; }

    public IReadOnlyList<string> OrganizationalUnits { get; }

    public SubjectAlternativeNames AlternativeNames { get; }

    /// <summary>Upper-case hex, as encoded in the certificate.</summary>
    public string SerialNumber { get; }

    /// <summary>SHA-256 of the DER certificate, upper-case hex.</summary>
    public string Sha256Thumbprint { get; }

    /// <summary>SHA-256 of the DER SubjectPublicKeyInfo, base64 (the form of HPKP and ghostunnel's pins).</summary>
    public string SpkiPin { get; }

    private static string[] AttributeValues(X500DistinguishedName name, string oid) =>
        [.. name.EnumerateRelativeDistinguishedNames()
            .Where(rdn => !rdn.HasMultipleElements && rdn.GetSingleElementType().Value == oid)
            .Select(ExactValue)
            .OfType<string>()];

    // X500RelativeDistinguishedName.GetSingleElementValue drops trailing NUL characters, so a CN of "alice\0" would
    // read as "alice": the value is decoded here as encoded. A value that is no character string is no value.
    private static string? ExactValue(X500RelativeDistinguishedName rdn)
    {
        try
        {
            var attribute = new AsnReader(rdn.RawData, AsnEncodingRules.DER).ReadSetOf().ReadSequence();
            attribute.ReadObjectIdentifier();
            var tag = attribute.PeekTag();
            return tag.TagClass == TagClass.Universal ? attribute.ReadCharacterString((UniversalTagNumber)tag.TagValue) : null;
        }
        catch (Exception e) when (e is AsnContentException or ArgumentException)
        {
            return null;
        }
    }
}
