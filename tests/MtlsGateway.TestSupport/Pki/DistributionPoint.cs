using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.TestSupport.Pki;

/// <summary>
/// One DistributionPoint of a cRLDistributionPoints or freshestCRL extension (RFC 5280 4.2.1.13), for
/// <see cref="TestExtensions.CrlDistributionPoints"/>: a full name (URI or directory name) or a name relative to the CRL
/// issuer, the reasons it is limited to, and the CRL issuer when that is not the certificate's issuer.
/// </summary>
public sealed record DistributionPoint(
    string? Uri = null,
    X500DistinguishedName? DirectoryName = null,
    string? RelativeName = null,
    X509RevocationReason[]? Reasons = null,
    X500DistinguishedName? CrlIssuer = null);
