using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Validation.Certificates;

namespace MtlsGateway.Validation.Revocation.Crl;

/// <summary>
/// One GeneralName (RFC 5280 4.2.1.6) as encoded. Two names match when they are directory names that match as
/// RFC 5280 7.1 compares names, or when their encodings are identical.
/// </summary>
internal readonly struct GeneralName
{
    private static readonly Asn1Tag DirectoryNameTag = new(TagClass.ContextSpecific, 4, isConstructed: true);
    private static readonly Asn1Tag UriTag = new(TagClass.ContextSpecific, 6);

    private GeneralName(Asn1Tag tag, ReadOnlyMemory<byte> encoded)
    {
        Tag = tag;
        Encoded = encoded;
    }

    public Asn1Tag Tag { get; }

    /// <summary>The whole GeneralName, tag included.</summary>
    public ReadOnlyMemory<byte> Encoded { get; }

    public bool IsDirectoryName => Tag.HasSameClassAndValue(DirectoryNameTag);

    /// <summary>The Name inside a directoryName ([4] EXPLICIT Name); empty for other kinds of names.</summary>
    public ReadOnlyMemory<byte> DirectoryName => IsDirectoryName
        ? new AsnReader(Encoded, AsnEncodingRules.DER).ReadSequence(DirectoryNameTag).ReadEncodedValue()
        : ReadOnlyMemory<byte>.Empty;

    /// <summary>A directoryName holding <paramref name="encodedName"/> (a DER Name).</summary>
    public static GeneralName OfDirectoryName(ReadOnlySpan<byte> encodedName)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence(DirectoryNameTag))
        {
            writer.WriteEncodedValue(encodedName);
        }

        return new GeneralName(DirectoryNameTag, writer.Encode());
    }

    /// <summary>Reads the names of a GeneralNames value (its SEQUENCE OF already entered).</summary>
    /// <exception cref="AsnContentException">A name is malformed (a directoryName that is not a Name, for one).</exception>
    public static List<GeneralName> ReadAll(AsnReader generalNames)
    {
        ArgumentNullException.ThrowIfNull(generalNames);
        var names = new List<GeneralName>();
        while (generalNames.HasData)
        {
            var tag = generalNames.PeekTag();
            var name = new GeneralName(tag, generalNames.ReadEncodedValue());
            if (name.IsDirectoryName)
            {
                // Checked here, so that comparing it later cannot fail.
                var inner = new AsnReader(name.Encoded, AsnEncodingRules.DER).ReadSequence(DirectoryNameTag);
                inner.ReadSequence();
                inner.ThrowIfNotEmpty();
            }

            names.Add(name);
        }

        return names;
    }

    public bool Matches(GeneralName other) =>
        IsDirectoryName && other.IsDirectoryName
            ? DistinguishedNames.Match(DirectoryName.Span, other.DirectoryName.Span)
            : Encoded.Span.SequenceEqual(other.Encoded.Span);

    public bool MatchesDirectoryName(ReadOnlySpan<byte> encodedName) => IsDirectoryName && DistinguishedNames.Match(DirectoryName.Span, encodedName);

    /// <summary>For refusal details: a directory name as .NET prints it, a URI as written, other kinds by tag.</summary>
    public override string ToString()
    {
        try
        {
            if (IsDirectoryName)
            {
                return new X500DistinguishedName(DirectoryName.Span).Name;
            }

            if (Tag.HasSameClassAndValue(UriTag))
            {
                return new AsnReader(Encoded, AsnEncodingRules.DER).ReadCharacterString(UniversalTagNumber.IA5String, UriTag);
            }
        }
        catch (Exception e) when (e is AsnContentException or System.Security.Cryptography.CryptographicException)
        {
            // Fall through to the tag.
        }

        return $"general name [{Tag.TagValue}]";
    }
}
