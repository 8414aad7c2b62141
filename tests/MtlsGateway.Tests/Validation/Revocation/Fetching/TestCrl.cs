namespace MtlsGateway.Tests.Validation.Revocation.Fetching;

/// <summary>What <see cref="TestCrls"/> reads a downloaded CRL into: its bytes.</summary>
public sealed record TestCrl(byte[] Der);
