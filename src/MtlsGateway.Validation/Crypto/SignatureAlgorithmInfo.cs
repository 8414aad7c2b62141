namespace MtlsGateway.Validation.Crypto;

/// <summary>What the crypto minimums need to know of a signature algorithm: its name and the hash it signs.</summary>
/// <param name="Hash">"MD2", "MD4", "MD5", "SHA-1", "SHA-256", ...; null for algorithms without a separate hash (Ed25519, Ed448).</param>
internal readonly record struct SignatureAlgorithmInfo(string Name, string? Hash);
