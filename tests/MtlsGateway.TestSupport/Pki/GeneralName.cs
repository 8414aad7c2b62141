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
        if (Tag == 4)
        {
            // directoryName is EXPLICIT: the Name keeps its own SEQUENCE tag inside [4].
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 4, isConstructed: true)))
            {
                writer.WriteEncodedValue(Value);
            }
        }
        else
        {
            writer.WriteOctetString(Value, new Asn1Tag(TagClass.ContextSpecific, Tag));
        }
    }
}
