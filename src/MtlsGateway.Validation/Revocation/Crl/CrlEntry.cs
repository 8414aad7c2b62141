using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.Validation.Revocation.Crl;

/// <summary>One revoked certificate. <see cref="Serial"/> holds the INTEGER content octets (big-endian, two's complement).</summary>
public readonly record struct CrlEntry(ReadOnlyMemory<byte> Serial, DateTimeOffset RevocationDate, X509RevocationReason? Reason, DateTimeOffset? InvalidityDate);
