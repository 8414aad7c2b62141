namespace MtlsGateway.Validation.Revocation.Crl;

/// <summary>What telemetry reports about one loaded CRL.</summary>
public sealed record CrlSummary(string Issuer, DateTimeOffset ThisUpdate, DateTimeOffset? NextUpdate, int EntryCount, System.Numerics.BigInteger? CrlNumber);
