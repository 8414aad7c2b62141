using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Validation.Certificates;
using MtlsGateway.Validation.Signatures;

namespace MtlsGateway.Validation.Revocation.Crl;

/// <summary>
/// A parsed X.509 CRL (RFC 5280 section 5). .NET can build CRLs but not read them, hence this reader.
/// Entries are not materialised: the serial index points into the CRL's own encoding and an entry is decoded only when
/// looked up, so a CRL of a million entries costs little more than its DER size.
/// Delta CRLs, indirect CRLs (certificateIssuer entries) and scoped CRLs (issuingDistributionPoint) are read; what this
/// reader cannot honour (an unknown critical extension, a CRL number beyond RFC 5280's 20 octets) is reported in
/// <see cref="UnusableBecause"/>: such a CRL is never used, never half-used.
/// </summary>
public sealed class CertificateRevocationList
{
    private const string CrlNumberOid = Oids.CrlNumber;
    private const string AuthorityKeyIdentifierOid = Oids.AuthorityKeyIdentifier;
    private const string IssuingDistributionPointOid = Oids.IssuingDistributionPoint;
    private const string DeltaCrlIndicatorOid = Oids.DeltaCrlIndicator;
    private const string FreshestCrlOid = Oids.FreshestCrl;
    private const string ReasonCodeOid = Oids.CrlReason;
    private const string InvalidityDateOid = Oids.InvalidityDate;

    /// <summary>RFC 5280 5.2.3: verifiers handle CRL numbers up to 20 octets, and issuers use no longer ones.</summary>
    private const int MaxCrlNumberOctets = 20;

    private readonly ReadOnlyMemory<byte> encoded;
    private readonly int[] entryOffsets;
    private readonly SerialIndex index;

    // For indirect CRLs only: per entry, which certificateIssuer applies to it (-1: the CRL issuer), and those issuers
    // (encoded GeneralNames). Null when no entry names a certificate issuer, which keeps direct CRLs as lean as before.
    private readonly int[]? entryIssuers;
    private readonly ReadOnlyMemory<byte>[] certificateIssuers;
    private string? issuerDisplayName;

    private CertificateRevocationList(ReadOnlyMemory<byte> encoded, int[] entryOffsets, SerialIndex index, int[]? entryIssuers, ReadOnlyMemory<byte>[] certificateIssuers)
    {
        this.encoded = encoded;
        this.entryOffsets = entryOffsets;
        this.index = index;
        this.entryIssuers = entryIssuers;
        this.certificateIssuers = certificateIssuers;
    }

    /// <summary>The issuer Name exactly as encoded (compare with <see cref="DistinguishedNames"/>).</summary>
    public ReadOnlyMemory<byte> IssuerName { get; private init; }

    public X500DistinguishedName Issuer => new(IssuerName.Span);

    /// <summary>The issuer as .NET prints names ("CN=CA, O=Org"), decoded once: refusal details name it.</summary>
    public string IssuerDisplayName => issuerDisplayName ??= Issuer.Name;

    public DateTimeOffset ThisUpdate { get; private init; }

    public DateTimeOffset? NextUpdate { get; private init; }

    public BigInteger? CrlNumber { get; private init; }

    /// <summary>A delta CRL (deltaCRLIndicator): it lists only changes since the complete CRL numbered <see cref="BaseCrlNumber"/>.</summary>
    public bool IsDelta => BaseCrlNumber is not null;

    /// <summary>The deltaCRLIndicator's BaseCRLNumber; null for a complete CRL.</summary>
    public BigInteger? BaseCrlNumber { get; private init; }

    /// <summary>The freshestCRL extension value (where delta CRLs for this CRL are published), as encoded; null when absent.</summary>
    public ReadOnlyMemory<byte>? FreshestCrl { get; private init; }

    /// <summary>Some entry names its certificate's issuer (certificateIssuer), as only an indirect CRL may.</summary>
    public bool HasCertificateIssuers => entryIssuers is not null;

    /// <summary>The keyIdentifier of the authorityKeyIdentifier extension, when present.</summary>
    public ReadOnlyMemory<byte>? AuthorityKeyIdentifier { get; private init; }

    public IssuingDistributionPoint? IssuingDistributionPoint { get; private init; }

    /// <summary>Why this CRL must not be used at all (an extension this reader does not implement); null when usable.</summary>
    public string? UnusableBecause { get; private init; }

    public int Count => entryOffsets.Length;

    /// <summary>The whole CRL as encoded (DER).</summary>
    public ReadOnlyMemory<byte> Encoded => encoded;

    internal SignedObject Signed { get; private init; }

    /// <summary>Signature checks already done, by signer certificate (empty string: verified; else the problem).</summary>
    internal System.Collections.Concurrent.ConcurrentDictionary<string, string> VerifiedSigners { get; } = new(StringComparer.Ordinal);

    /// <exception cref="FormatException">The bytes are not a DER-encoded X.509 CRL.</exception>
    public static CertificateRevocationList Parse(ReadOnlyMemory<byte> der)
    {
        try
        {
            return ParseCore(der);
        }
        catch (AsnContentException e)
        {
            throw new FormatException("not a valid DER X.509 CRL: " + e.Message, e);
        }
        catch (ArgumentException e)
        {
            throw new FormatException("not a valid DER X.509 CRL: " + e.Message, e);
        }
    }

    /// <summary>
    /// Looks up a certificate of the CRL's own issuer. removeFromCRL entries mean "not revoked" and are never returned.
    /// </summary>
    /// <param name="serial">The serial's INTEGER content octets, as <see cref="X509Certificate.SerialNumberBytes"/> gives them.</param>
    public bool TryFind(ReadOnlySpan<byte> serial, out CrlEntry entry)
    {
        if (entryIssuers is not null)
        {
            return TryFindCore(serial, ReadOnlySpan<byte>.Empty, ownIssuer: true, out entry) && entry.Reason != X509RevocationReason.RemoveFromCrl;
        }

        // A direct CRL, which is nearly every CRL: one hash, one probe, and an entry decoded only when its serial matches.
        // Probe past removeFromCRL entries: a serial also listed with a real reason is revoked.
        foreach (var ordinal in index.CandidatesFor(SerialIndex.Hash(serial)))
        {
            if (SerialAt(ordinal).SequenceEqual(serial))
            {
                var candidate = DecodeEntry(ordinal);
                if (candidate.Reason != X509RevocationReason.RemoveFromCrl)
                {
                    entry = candidate;
                    return true;
                }
            }
        }

        entry = default;
        return false;
    }

    /// <summary>
    /// Looks up the certificate with this serial issued by <paramref name="certificateIssuer"/> (an indirect CRL lists
    /// certificates of several issuers). An entry with a real reason wins over a removeFromCRL entry for the same
    /// certificate; a removeFromCRL entry is returned only when it is the certificate's only entry (for delta CRLs).
    /// </summary>
    /// <param name="certificateIssuer">The certificate's issuer Name, as encoded.</param>
    public bool TryFindEntry(ReadOnlySpan<byte> serial, ReadOnlySpan<byte> certificateIssuer, out CrlEntry entry) =>
        TryFindCore(serial, certificateIssuer, ownIssuer: false, out entry);

    /// <param name="ownIssuer">The certificate is known to be the CRL issuer's: no name needs comparing for entries without certificateIssuer.</param>
    private bool TryFindCore(ReadOnlySpan<byte> serial, ReadOnlySpan<byte> certificateIssuer, bool ownIssuer, out CrlEntry entry)
    {
        entry = default;
        var found = false;
        var issuerChecked = ownIssuer;
        var issuerIsCrlIssuer = ownIssuer;
        foreach (var ordinal in index.CandidatesFor(SerialIndex.Hash(serial)))
        {
            if (!SerialAt(ordinal).SequenceEqual(serial))
            {
                continue;
            }

            var group = entryIssuers?[ordinal] ?? -1;
            if (group < 0)
            {
                if (!issuerChecked)
                {
                    issuerIsCrlIssuer = DistinguishedNames.Match(IssuerName.Span, certificateIssuer);
                    issuerChecked = true;
                }

                if (!issuerIsCrlIssuer)
                {
                    continue;
                }
            }
            else if (!NamesIssuer(certificateIssuers[group], ownIssuer ? IssuerName.Span : certificateIssuer))
            {
                continue;
            }

            var candidate = DecodeEntry(ordinal);
            entry = candidate;
            if (candidate.Reason != X509RevocationReason.RemoveFromCrl)
            {
                return true;
            }

            found = true;
        }

        return found;
    }

    /// <summary>Whether a certificateIssuer value (GeneralNames) names <paramref name="certificateIssuer"/>.</summary>
    private static bool NamesIssuer(ReadOnlyMemory<byte> generalNames, ReadOnlySpan<byte> certificateIssuer)
    {
        foreach (var name in GeneralName.ReadAll(new AsnReader(generalNames, AsnEncodingRules.DER).ReadSequence()))
        {
            if (name.MatchesDirectoryName(certificateIssuer))
            {
                return true;
            }
        }

        return false;
    }

    public IEnumerable<CrlEntry> Entries()
    {
        for (var i = 0; i < entryOffsets.Length; i++)
        {
            yield return DecodeEntry(i);
        }
    }

    private ReadOnlySpan<byte> SerialAt(int ordinal)
    {
        var entry = encoded.Span[entryOffsets[ordinal]..];
        AsnDecoder.ReadEncodedValue(entry, AsnEncodingRules.DER, out var contentOffset, out _, out _);
        return AsnDecoder.ReadIntegerBytes(entry[contentOffset..], AsnEncodingRules.DER, out _);
    }

    private CrlEntry DecodeEntry(int ordinal)
    {
        var start = entryOffsets[ordinal];
        AsnDecoder.ReadEncodedValue(encoded.Span[start..], AsnEncodingRules.DER, out _, out _, out var length);
        var reader = new AsnReader(encoded.Slice(start, length), AsnEncodingRules.DER).ReadSequence();
        var serial = reader.ReadIntegerBytes();
        var revocationDate = ReadTime(reader);
        X509RevocationReason? reason = null;
        DateTimeOffset? invalidityDate = null;
        if (reader.HasData)
        {
            foreach (var extension in ReadExtensions(reader.ReadEncodedValue()))
            {
                var value = new AsnReader(extension.Value, AsnEncodingRules.DER);
                switch (extension.Oid)
                {
                    case ReasonCodeOid:
                        reason = (X509RevocationReason)(int)value.ReadEnumeratedValue<ReasonCode>();
                        break;
                    case InvalidityDateOid:
                        invalidityDate = value.ReadGeneralizedTime();
                        break;
                    default:
                        break;
                }
            }
        }

        return new CrlEntry(serial, revocationDate, reason, invalidityDate);
    }

    private static CertificateRevocationList ParseCore(ReadOnlyMemory<byte> der)
    {
        var signed = SignedObject.Parse(der);
        var tbs = new AsnReader(signed.ToBeSigned, AsnEncodingRules.DER).ReadSequence();
        var version = 0;
        if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
        {
            if (!tbs.TryReadInt32(out version) || version != 1)
            {
                throw new AsnContentException("unsupported CRL version (only v2 is defined with an explicit version)");
            }
        }

        var innerAlgorithm = tbs.ReadEncodedValue();
        if (!innerAlgorithm.Span.SequenceEqual(signed.Algorithm.Encoded.Span))
        {
            throw new AsnContentException("the signature algorithm inside the CRL differs from the one outside");
        }

        var issuer = tbs.ReadEncodedValue();
        var thisUpdate = ReadTime(tbs);
        DateTimeOffset? nextUpdate = tbs.HasData && IsTime(tbs.PeekTag()) ? ReadTime(tbs) : null;
        var unusable = new List<string>();
        var entries = new CrlEntryOffsets();
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            ReadEntries(der, tbs.ReadEncodedValue(), entries, unusable);
        }

        BigInteger? crlNumber = null;
        BigInteger? baseCrlNumber = null;
        ReadOnlyMemory<byte>? freshestCrl = null;
        ReadOnlyMemory<byte>? authorityKeyIdentifier = null;
        IssuingDistributionPoint? distributionPoint = null;
        if (tbs.HasData)
        {
            if (version != 1)
            {
                throw new AsnContentException("a v1 CRL carries extensions");
            }

            var extensions = tbs.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadEncodedValue();
            foreach (var extension in ReadExtensions(extensions))
            {
                var value = new AsnReader(extension.Value, AsnEncodingRules.DER);
                switch (extension.Oid)
                {
                    case CrlNumberOid:
                        crlNumber = ReadCrlNumber(value, "CRL number", unusable);
                        break;
                    case AuthorityKeyIdentifierOid:
                        authorityKeyIdentifier = ReadKeyIdentifier(value);
                        break;
                    case IssuingDistributionPointOid:
                        distributionPoint = IssuingDistributionPoint.Parse(extension.Value);
                        if (distributionPoint.Malformed is { } malformed)
                        {
                            unusable.Add(malformed);
                        }

                        break;
                    case DeltaCrlIndicatorOid:
                        baseCrlNumber = ReadCrlNumber(value, "delta CRL's BaseCRLNumber", unusable) ?? BigInteger.MinusOne;
                        break;
                    case FreshestCrlOid:
                        freshestCrl = extension.Value;
                        break;
                    default:
                        if (extension.Critical)
                        {
                            unusable.Add($"unknown critical CRL extension {extension.Oid}");
                        }

                        break;
                }
            }
        }

        tbs.ThrowIfNotEmpty();
        if (entries.EntryIssuers is not null && distributionPoint is not { IndirectCrl: true })
        {
            // Only an indirect CRL may speak for other issuers; elsewhere the extension is a contradiction.
            unusable.Add("entries name other certificate issuers (certificateIssuer) but it is not an indirect CRL");
        }

        if (baseCrlNumber is not null && crlNumber is null)
        {
            unusable.Add("it is a delta CRL without a CRL number, so it cannot be ordered against its base");
        }

        if (baseCrlNumber is not null && freshestCrl is not null)
        {
            unusable.Add("it is a delta CRL that names a freshestCRL, which RFC 5280 allows only in complete CRLs");
        }

        var entryOffsets = entries.Offsets.ToArray();
        var index = new SerialIndex(entryOffsets.Length);
        var crl = new CertificateRevocationList(der, entryOffsets, index, entries.EntryIssuers?.ToArray(), [.. entries.CertificateIssuers])
        {
            IssuerName = issuer,
            ThisUpdate = thisUpdate,
            NextUpdate = nextUpdate,
            CrlNumber = crlNumber,
            BaseCrlNumber = baseCrlNumber,
            FreshestCrl = freshestCrl,
            AuthorityKeyIdentifier = authorityKeyIdentifier,
            IssuingDistributionPoint = distributionPoint,
            UnusableBecause = unusable.Count == 0 ? null : string.Join("; ", unusable.Distinct()),
            Signed = signed,
        };
        for (var i = 0; i < entryOffsets.Length; i++)
        {
            index.Add(SerialIndex.Hash(crl.SerialAt(i)), i);
        }

        return crl;
    }

    /// <summary>Walks revokedCertificates with span decoding (no allocation per entry), recording where each entry starts.</summary>
    private static void ReadEntries(ReadOnlyMemory<byte> der, ReadOnlyMemory<byte> revoked, CrlEntryOffsets read, List<string> unusable)
    {
        // An entry takes at least 20 octets and typically 30 to 40: sized so that a large CRL rarely regrows the list.
        var offsets = read.Offsets;
        offsets.Capacity = revoked.Length / 28;
        AsnDecoder.ReadSequence(revoked.Span, AsnEncodingRules.DER, out var contentOffset, out var contentLength, out _);
        if (!der.Span.Overlaps(revoked.Span, out var revokedOffset))
        {
            throw new AsnContentException("revokedCertificates lies outside the CRL");
        }

        var entries = revoked.Slice(contentOffset, contentLength);
        var position = 0;
        while (position < entries.Length)
        {
            var entrySpan = entries.Span[position..];
            AsnDecoder.ReadSequence(entrySpan, AsnEncodingRules.DER, out var entryContentOffset, out var entryContentLength, out var entryLength);
            var content = entrySpan.Slice(entryContentOffset, entryContentLength);
            AsnDecoder.ReadIntegerBytes(content, AsnEncodingRules.DER, out var serialLength);
            var afterSerial = content[serialLength..];
            int timeLength;
            if (Asn1Tag.Decode(afterSerial, out _).HasSameClassAndValue(Asn1Tag.UtcTime))
            {
                AsnDecoder.ReadUtcTime(afterSerial, AsnEncodingRules.DER, out timeLength);
            }
            else
            {
                AsnDecoder.ReadGeneralizedTime(afterSerial, AsnEncodingRules.DER, out timeLength);
            }

            var extensionsLength = entryContentLength - serialLength - timeLength;
            var certificateIssuer = ReadOnlySpan<byte>.Empty;
            if (extensionsLength > 0)
            {
                certificateIssuer = CheckEntryExtensions(entrySpan.Slice(entryContentOffset + serialLength + timeLength, extensionsLength), unusable);
            }

            if (!certificateIssuer.IsEmpty)
            {
                der.Span.Overlaps(certificateIssuer, out var issuerOffset);
                read.StartCertificateIssuer(der.Slice(issuerOffset, certificateIssuer.Length));
            }

            offsets.Add(revokedOffset + contentOffset + position);
            read.EntryIssuers?.Add(read.CertificateIssuers.Count - 1);
            position += entryLength;
        }
    }

    /// <summary>Reads a CRL number or BaseCRLNumber: non-negative and at most 20 octets, or the CRL is unusable.</summary>
    private static BigInteger? ReadCrlNumber(AsnReader value, string what, List<string> unusable)
    {
        var octets = value.ReadIntegerBytes().Span;
        value.ThrowIfNotEmpty();
        if ((octets[0] & 0x80) != 0)
        {
            unusable.Add($"its {what} is negative");
            return null;
        }

        var magnitude = octets[0] == 0 && octets.Length > 1 ? octets[1..] : octets;
        if (magnitude.Length > MaxCrlNumberOctets)
        {
            unusable.Add($"its {what} is {magnitude.Length} octets long, more than the {MaxCrlNumberOctets} RFC 5280 allows");
            return null;
        }

        return new BigInteger(octets, isUnsigned: false, isBigEndian: true);
    }

    /// <summary>
    /// Checks one entry's extensions with span decoding only: a large CRL gives most entries a reason code, and
    /// allocating readers and OID strings for each would cost more than the entries themselves.
    /// </summary>
    /// <returns>The certificateIssuer extension's value (GeneralNames), or empty when the entry has none.</returns>
    private static ReadOnlySpan<byte> CheckEntryExtensions(ReadOnlySpan<byte> encoded, List<string> unusable)
    {
        var certificateIssuer = ReadOnlySpan<byte>.Empty;
        AsnDecoder.ReadSequence(encoded, AsnEncodingRules.DER, out var contentOffset, out var contentLength, out var consumed);
        if (consumed != encoded.Length)
        {
            throw new AsnContentException("trailing data after CRL entry extensions");
        }

        var extensions = encoded.Slice(contentOffset, contentLength);
        if (extensions.IsEmpty)
        {
            throw new AsnContentException("a CRL entry has an empty extension list");
        }

        var seen = 0;
        while (!extensions.IsEmpty)
        {
            AsnDecoder.ReadSequence(extensions, AsnEncodingRules.DER, out var extensionOffset, out var extensionLength, out var extensionConsumed);
            var extension = extensions.Slice(extensionOffset, extensionLength);
            extensions = extensions[extensionConsumed..];
            var oidTag = Asn1Tag.Decode(extension, out _);
            if (!oidTag.HasSameClassAndValue(Asn1Tag.ObjectIdentifier))
            {
                throw new AsnContentException("a CRL entry extension does not start with an OID");
            }

            AsnDecoder.ReadEncodedValue(extension, AsnEncodingRules.DER, out var oidOffset, out var oidLength, out var oidConsumed);
            var oid = extension.Slice(oidOffset, oidLength);
            extension = extension[oidConsumed..];
            var critical = false;
            if (!extension.IsEmpty && Asn1Tag.Decode(extension, out _).HasSameClassAndValue(Asn1Tag.Boolean))
            {
                critical = AsnDecoder.ReadBoolean(extension, AsnEncodingRules.DER, out var booleanConsumed);
                extension = extension[booleanConsumed..];
            }

            if (!AsnDecoder.TryReadPrimitiveOctetString(extension, AsnEncodingRules.DER, out var value, out var valueConsumed) || valueConsumed != extension.Length)
            {
                throw new AsnContentException("malformed CRL entry extension value");
            }

            // Known entry extensions are all under id-ce (2.5.29 = 55 1D); the last octet tells them apart.
            var known = oid.Length == 3 && oid[0] == 0x55 && oid[1] == 0x1D ? oid[2] : -1;
            if (known >= 0)
            {
                var bit = 1 << (known & 31);
                if ((seen & bit) != 0)
                {
                    throw new AsnContentException("a CRL entry extension appears twice");
                }

                seen |= bit;
            }

            switch (known)
            {
                case 0x15:
                    var reason = AsnDecoder.ReadEnumeratedValue<ReasonCode>(value, AsnEncodingRules.DER, out var reasonConsumed);
                    if (reasonConsumed != value.Length || !Enum.IsDefined(reason))
                    {
                        throw new AsnContentException($"CRL entry reason code {(int)reason} is not defined");
                    }

                    break;
                case 0x18:
                    AsnDecoder.ReadGeneralizedTime(value, AsnEncodingRules.DER, out var timeConsumed);
                    if (timeConsumed != value.Length)
                    {
                        throw new AsnContentException("trailing data after a CRL entry invalidity date");
                    }

                    break;
                case 0x1D:
                    var names = new AsnReader(value.ToArray(), AsnEncodingRules.DER);
                    if (GeneralName.ReadAll(names.ReadSequence()).Count == 0)
                    {
                        throw new AsnContentException("a CRL entry's certificateIssuer names no issuer");
                    }

                    names.ThrowIfNotEmpty();
                    certificateIssuer = value;
                    break;
                case 0x17:
                    break;
                default:
                    if (critical)
                    {
                        AddOnce(unusable, $"unknown critical CRL entry extension {OidText(oid)}");
                    }

                    break;
            }
        }

        return certificateIssuer;
    }

    private static void AddOnce(List<string> problems, string problem)
    {
        if (!problems.Contains(problem))
        {
            problems.Add(problem);
        }
    }

    private static string OidText(ReadOnlySpan<byte> content) =>
        content.Length < 128 ? AsnDecoder.ReadObjectIdentifier([0x06, (byte)content.Length, .. content], AsnEncodingRules.DER, out _) : "(long OID)";

    private static List<(string Oid, bool Critical, ReadOnlyMemory<byte> Value)> ReadExtensions(ReadOnlyMemory<byte> extensions)
    {
        var reader = new AsnReader(extensions, AsnEncodingRules.DER).ReadSequence();
        var list = new List<(string, bool, ReadOnlyMemory<byte>)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.HasData)
        {
            var extension = reader.ReadSequence();
            var oid = extension.ReadObjectIdentifier();
            var critical = extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean) && extension.ReadBoolean();
            var value = extension.ReadOctetString();
            extension.ThrowIfNotEmpty();
            if (!seen.Add(oid))
            {
                throw new AsnContentException($"extension {oid} appears twice");
            }

            list.Add((oid, critical, value));
        }

        return list;
    }

    private static ReadOnlyMemory<byte>? ReadKeyIdentifier(AsnReader value)
    {
        var sequence = value.ReadSequence();
        var keyIdTag = new Asn1Tag(TagClass.ContextSpecific, 0);
        return sequence.HasData && sequence.PeekTag().HasSameClassAndValue(keyIdTag) ? sequence.ReadOctetString(keyIdTag) : null;
    }

    private static bool IsTime(Asn1Tag tag) => tag.HasSameClassAndValue(Asn1Tag.UtcTime) || tag.HasSameClassAndValue(Asn1Tag.GeneralizedTime);

    // UTCTime years 50..99 are 19xx (RFC 5280 4.1.2.5.1), which is .NET's default two-digit year window (up to 2049).
    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();

    private enum ReasonCode
    {
        Unspecified = 0,
        KeyCompromise = 1,
        CACompromise = 2,
        AffiliationChanged = 3,
        Superseded = 4,
        CessationOfOperation = 5,
        CertificateHold = 6,
        RemoveFromCrl = 8,
        PrivilegeWithdrawn = 9,
        AACompromise = 10,
    }
}
