namespace MtlsGateway.Validation.Revocation.Ocsp;

public sealed class OcspClientOptions
{
    public OcspVerificationOptions Verification { get; init; } = new();

    /// <summary>Send a nonce (RFC 8954). Off by default: many responders serve pre-signed answers and ignore it.</summary>
    public bool UseNonce { get; init; }

    /// <summary>GET is used when the full request URL fits in this many bytes (RFC 5019: 255), otherwise POST; 0 always POSTs.</summary>
    public int MaxGetUrlLength { get; init; } = 255;

    /// <summary>How long an answer that proved nothing (failure, bad signature, "unknown") is reused before asking again.</summary>
    public TimeSpan FailureMemory { get; init; } = TimeSpan.FromSeconds(5);
}
