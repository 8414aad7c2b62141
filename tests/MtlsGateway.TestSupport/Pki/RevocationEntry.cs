using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.TestSupport.Pki;

/// <summary>One revoked certificate in a CRL: the serial as DER INTEGER content octets (negative ones included).</summary>
public sealed record RevocationEntry(
    byte[] Serial,
    DateTimeOffset RevokedAt,
    X509RevocationReason? Reason = null,
    DateTimeOffset? InvalidityDate = null,
    X509Extension? Extension = null);
