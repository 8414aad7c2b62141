using System.Formats.Asn1;

namespace MtlsGateway.Validation.Signatures;

/// <summary>
/// The outer shape shared by certificates and CRLs: SEQUENCE { tbs, AlgorithmIdentifier, BIT STRING signature }.
/// The to-be-signed bytes are kept exactly as encoded, because the signature covers those bytes and no re-encoding.
/// </summary>
internal readonly record struct SignedObject(ReadOnlyMemory<byte> ToBeSigned, SignatureAlgorithm Algorithm, ReadOnlyMemory<byte> Signature)
{
    /// <exception cref="AsnContentException">The encoding is not a DER signed object.</exception>
    public static SignedObject Parse(ReadOnlyMemory<byte> der)
    {
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        var sequence = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        var toBeSigned = sequence.ReadEncodedValue();
        var algorithm = SignatureAlgorithm.Parse(sequence.ReadEncodedValue());
        var signature = sequence.ReadBitString(out var unusedBits);
        sequence.ThrowIfNotEmpty();
        // No algorithm produces a signature that is not whole octets: such a value is a damaged signature, which must
        // fail verification like any wrong signature rather than make the object unreadable.
        return new SignedObject(toBeSigned, algorithm, unusedBits == 0 ? signature : ReadOnlyMemory<byte>.Empty);
    }
}

/// <summary>An AlgorithmIdentifier: OID, the raw DER of its parameters (empty when absent) and its whole encoding.</summary>
internal readonly record struct SignatureAlgorithm(string Oid, ReadOnlyMemory<byte> Parameters, ReadOnlyMemory<byte> Encoded)
{
    public static SignatureAlgorithm Parse(ReadOnlyMemory<byte> encoded)
    {
        var reader = new AsnReader(encoded, AsnEncodingRules.DER).ReadSequence();
        var oid = reader.ReadObjectIdentifier();
        var parameters = reader.HasData ? reader.ReadEncodedValue() : ReadOnlyMemory<byte>.Empty;
        reader.ThrowIfNotEmpty();
        return new SignatureAlgorithm(oid, parameters, encoded);
    }
}
