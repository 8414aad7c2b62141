using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.Validation.Revocation.Ocsp;

/// <summary>
/// A parsed OCSPResponse with a BasicOCSPResponse body. Nothing in it is trusted until
/// <see cref="OcspResponseVerifier"/> has checked the signature and the responder.
/// </summary>
public sealed class OcspResponse
{
    public required OcspResponseStatus Status { get; init; }

    /// <summary>The DER of tbsResponseData, exactly as signed.</summary>
    public byte[] SignedData { get; init; } = [];

    internal Signatures.SignatureAlgorithm SignatureAlgorithm { get; init; }

    public byte[] Signature { get; init; } = [];

    public IReadOnlyList<X509Certificate2> Certificates { get; init; } = [];

    /// <summary>ResponderID byName: the DER of the Name; null when the responder is named by key.</summary>
    public byte[]? ResponderName { get; init; }

    /// <summary>ResponderID byKey: SHA-1 of the responder's subjectPublicKey; null when named by name.</summary>
    public byte[]? ResponderKeyHash { get; init; }

    public DateTimeOffset ProducedAt { get; init; }

    public IReadOnlyList<OcspSingleResponse> Responses { get; init; } = [];

    public byte[]? Nonce { get; init; }

    public bool HasUnknownCriticalExtension { get; init; }
}
