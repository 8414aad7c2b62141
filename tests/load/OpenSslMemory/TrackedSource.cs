namespace MtlsGateway.OpenSslMemory;

/// <summary>The live OpenSSL allocations made at one source line.</summary>
internal sealed record TrackedSource(string Source, long Bytes, long Allocations);
