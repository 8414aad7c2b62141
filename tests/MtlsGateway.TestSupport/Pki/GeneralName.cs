using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MtlsGateway.TestSupport.Pki;

/// <summary>
/// One GeneralName (RFC 5280 4.2.1.6), written as given: no IDNA mapping and no validation, so a test can put a
/// trailing dot, an embedded NUL or an upper-case label into a certificate, as an attacker's CA would.
/// </summary>
public sealed record GeneralName(int Tag, byte[] Value)
{
    /// <summary>An otherName: <paramref name="typeOid"/> with a UTF8String value (a Microsoft UPN is 1.3.6.1.4.1.311.20.2.3).</summary>
    public static GeneralName Other(string typeOid, string value)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteObjectIdentifier(typeOid);
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
        {
            writer.WriteCharacterString(UniversalTagNumber.UTF8String, value);
        }

        return new(0, writer.Encode());
    }

    public static GeneralName UserPrincipalName(string value) => Other("1.3.6.1.4.1.311.20.2.3", value);

    /// <summary>A name of <paramref name="tag"/> whose content octets are given as they are (not even valid IA5).</summary>
    public static GeneralName Raw(int tag, byte[] content) => new(tag, content);

    /// <summary>
    /// A name written as "kind:value", for tables of test cases: dns:, uri:, email:, upn:, ip: or dir: (a distinguished
    /// name). The value is taken as it is, NUL and newline included.
    /// </summary>
    public static GeneralName Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var value = spec[(colon + 1)..];
        return spec[..Math.Max(colon, 0)] switch
        {
            "dns" => Dns(value),
            "uri" => Uri(value),
            "email" => Email(value),
            "upn" => UserPrincipalName(value),
            "ip" => Ip(IPAddress.Parse(value)),
            "dir" => Directory(new X500DistinguishedName(value)),
            _ => throw new ArgumentException($"'{spec}': expected dns:, uri:, email:, upn:, ip: or dir: before the value", nameof(spec)),
        };
    }

    public static GeneralName Email(string value) => new(1, Encoding.Latin1.GetBytes(value));

    public static GeneralName Dns(string value) => new(2, Encoding.Latin1.GetBytes(value));

    public static GeneralName Directory(X500DistinguishedName name) => new(4, name.RawData);

    public static GeneralName Uri(string value) => new(6, Encoding.Latin1.GetBytes(value));

    public static GeneralName Ip(IPAddress address) => new(7, address.GetAddressBytes());

    /// <summary>An iPAddress subtree for name constraints: the address followed by its mask.</summary>
    public static GeneralName IpRange(IPAddress address, int prefixLength)
    {
        var bytes = address.GetAddressBytes();
        var mask = new byte[bytes.Length];
        for (var bit = 0; bit < prefixLength; bit++)
        {
            mask[bit / 8] |= (byte)(0x80 >> (bit % 8));
        }

        return new(7, [.. bytes, .. mask]);
    }

    public void WriteTo(AsnWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (Tag is 0 or 4)
        {
            // otherName is a constructed [0] around its OID and value; directoryName is EXPLICIT [4] around the Name.
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, Tag, isConstructed: true)))
            {
                var inner = new AsnReader(Value, AsnEncodingRules.DER);
                while (inner.HasData)
                {
                    writer.WriteEncodedValue(inner.ReadEncodedValue().Span);
                }
            }
        }
        else
        {
            writer.WriteOctetString(Value, new Asn1Tag(TagClass.ContextSpecific, Tag));
        }
    }
}
