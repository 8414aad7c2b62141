namespace MtlsGateway.Outbound;

/// <param name="Problem">Why the identity is unavailable (no secrets), or null when it is available.</param>
/// <param name="Subject">The certificate presented upstream, once one was loaded.</param>
/// <param name="TokenLabel">For a token identity: the token's label (and <paramref name="TokenSerial"/>); null for a software key.</param>
public sealed record OutboundIdentityStatus(
    string Name,
    bool Available,
    string? Problem,
    string? Subject = null,
    DateTimeOffset? NotAfter = null,
    string? TokenLabel = null,
    string? TokenSerial = null);
