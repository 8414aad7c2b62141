using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.Validation.Crypto;

/// <summary>Reads what the crypto minimums judge of a certificate's public key (algorithm, size, curve) from its encoding.</summary>
internal static class PublicKeyStrength
{
    public const string RsaOid = "1.2.840.113549.1.1.1";
    public const string RsaPssOid = "1.2.840.113549.1.1.10";
    public const string DsaOid = "1.2.840.10040.4.1";
    public const string EcOid = "1.2.840.10045.2.1";
    public const string Ed25519Oid = "1.3.101.112";
    public const string Ed448Oid = "1.3.101.113";

    private static readonly Dictionary<string, string> AcceptedCurves = new(StringComparer.Ordinal)
    {
        ["1.2.840.10045.3.1.7"] = "P-256",
        ["1.3.132.0.34"] = "P-384",
        ["1.3.132.0.35"] = "P-521",
    };

    /// <summary>Null when the key meets the minimums; otherwise what is wrong with it, for operators.</summary>
    /// <param name="ancestors">The certificate's issuers, nearest first: a DSA key may inherit its parameters (RFC 3279 2.3.2).</param>
    public static string? Problem(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> ancestors, int minimumKeySize)
    {
        var key = certificate.PublicKey;
        try
        {
            switch (key.Oid.Value)
            {
                case RsaOid or RsaPssOid:
                    {
                        var rsaKey = new AsnReader(key.EncodedKeyValue.RawData, AsnEncodingRules.DER).ReadSequence();
                        var bits = BitLength(rsaKey.ReadIntegerBytes().Span);
                        return bits < minimumKeySize ? $"RSA key of {bits} bits, below the minimum of {minimumKeySize} (MinimumKeySize)" : null;
                    }

                case DsaOid:
                    {
                        var parameters = DsaParameters(certificate) ?? ancestors.TakeWhile(ancestor => ancestor.PublicKey.Oid.Value == DsaOid).Select(DsaParameters).FirstOrDefault(found => found is not null);
                        if (parameters is null)
                        {
                            return "DSA key without domain parameters, and no issuer above provides them";
                        }

                        var bits = BitLength(new AsnReader(parameters, AsnEncodingRules.DER).ReadSequence().ReadIntegerBytes().Span);
                        return bits < minimumKeySize ? $"DSA key of {bits} bits, below the minimum of {minimumKeySize} (MinimumKeySize)" : null;
                    }

                case EcOid:
                    {
                        var parameters = key.EncodedParameters?.RawData ?? [];
                        var reader = new AsnReader(parameters, AsnEncodingRules.DER);
                        if (parameters.Length == 0 || !reader.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier))
                        {
                            return "EC key with explicit or implicit curve parameters; only the named curves P-256, P-384 and P-521 are accepted";
                        }

                        var curve = reader.ReadObjectIdentifier();
                        return AcceptedCurves.ContainsKey(curve) ? null : $"EC key on curve {curve}, not one of P-256, P-384 and P-521";
                    }

                case Ed25519Oid or Ed448Oid:
                    // X509Chain (OpenSSL) verifies EdDSA certificate signatures on this platform.
                    return null;

                default:
                    return $"public key algorithm {key.Oid.FriendlyName ?? key.Oid.Value} is not among the accepted ones (RSA, DSA, EC P-256/P-384/P-521, Ed25519, Ed448)";
            }
        }
        catch (AsnContentException)
        {
            return $"{key.Oid.FriendlyName ?? key.Oid.Value} key whose encoding cannot be read";
        }
    }

    private static byte[]? DsaParameters(X509Certificate2 certificate)
    {
        var parameters = certificate.PublicKey.EncodedParameters?.RawData;
        return parameters is { Length: > 0 } && !(parameters.Length == 2 && parameters[0] == 0x05 && parameters[1] == 0x00) ? parameters : null;
    }

    /// <summary>The bit length of a non-negative DER INTEGER's magnitude.</summary>
    private static int BitLength(ReadOnlySpan<byte> integer)
    {
        while (integer.Length > 0 && integer[0] == 0)
        {
            integer = integer[1..];
        }

        return integer.Length == 0 ? 0 : ((integer.Length - 1) * 8) + (32 - BitOperations.LeadingZeroCount((uint)integer[0]));
    }
}
