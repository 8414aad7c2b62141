using System.Formats.Asn1;

namespace MtlsGateway.Validation.Revocation.Crl;

/// <summary>
/// A DistributionPointName (RFC 5280 4.2.1.13), as a certificate's cRLDistributionPoints or a CRL's
/// issuingDistributionPoint carries it: either full names, or a name relative to the CRL issuer (one RDN appended to
/// the issuer's distinguished name).
/// </summary>
internal sealed class DistributionPointName
{
    private static readonly Asn1Tag FullNameTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag RelativeNameTag = new(TagClass.ContextSpecific, 1, isConstructed: true);

    private readonly IReadOnlyList<GeneralName> fullName;
    private readonly ReadOnlyMemory<byte>? relativeName;

    private DistributionPointName(IReadOnlyList<GeneralName> fullName, ReadOnlyMemory<byte>? relativeName)
    {
        this.fullName = fullName;
        this.relativeName = relativeName;
    }

    /// <summary>Reads the CHOICE inside a distributionPoint [0] field (the reader is that field's content).</summary>
    /// <exception cref="AsnContentException">The name is malformed.</exception>
    public static DistributionPointName Read(AsnReader choice)
    {
        ArgumentNullException.ThrowIfNull(choice);
        var tag = choice.PeekTag();
        DistributionPointName name;
        if (tag.HasSameClassAndValue(FullNameTag))
        {
            name = new DistributionPointName(GeneralName.ReadAll(choice.ReadSequence(FullNameTag)), null);
        }
        else if (tag.HasSameClassAndValue(RelativeNameTag))
        {
            // [1] IMPLICIT RelativeDistinguishedName: the same octets as a SET OF once the tag is put back.
            var encoded = choice.ReadEncodedValue().ToArray();
            encoded[0] = 0x31;
            new AsnReader(encoded, AsnEncodingRules.DER).ReadSetOf(skipSortOrderValidation: true).ReadSequence();
            name = new DistributionPointName([], encoded);
        }
        else
        {
            throw new AsnContentException("unexpected distribution point name");
        }

        choice.ThrowIfNotEmpty();
        return name;
    }

    /// <summary>
    /// The names this distribution point stands for: its full names, or its relative name appended to each of the
    /// <paramref name="crlIssuerNames"/> (DER Names).
    /// </summary>
    public IReadOnlyList<GeneralName> Resolve(IEnumerable<ReadOnlyMemory<byte>> crlIssuerNames)
    {
        ArgumentNullException.ThrowIfNull(crlIssuerNames);
        if (relativeName is not { } relative)
        {
            return fullName;
        }

        var names = new List<GeneralName>();
        foreach (var issuer in crlIssuerNames)
        {
            var writer = new AsnWriter(AsnEncodingRules.DER);
            using (writer.PushSequence())
            {
                var rdns = new AsnReader(issuer, AsnEncodingRules.DER).ReadSequence();
                while (rdns.HasData)
                {
                    writer.WriteEncodedValue(rdns.ReadEncodedValue().Span);
                }

                writer.WriteEncodedValue(relative.Span);
            }

            names.Add(GeneralName.OfDirectoryName(writer.Encode()));
        }

        return names;
    }
}
