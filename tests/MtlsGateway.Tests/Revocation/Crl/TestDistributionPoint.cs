using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.Tests.Revocation.Crl;

/// <summary>One DistributionPoint of a cRLDistributionPoints (or freshestCRL) extension, for <see cref="TestDistributionPoints"/>.</summary>
internal sealed record TestDistributionPoint(
    string? Uri = null,
    X500DistinguishedName? DirectoryName = null,
    string? RelativeName = null,
    X509RevocationReason[]? Reasons = null,
    X500DistinguishedName? CrlIssuer = null);
