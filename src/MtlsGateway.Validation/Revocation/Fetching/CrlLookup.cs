using MtlsGateway.Validation.Chains;

namespace MtlsGateway.Validation.Revocation.Fetching;

/// <summary>
/// The seam to CRL verification and lookup: judges the certificate at <paramref name="index"/> of
/// <paramref name="path"/> against the CRLs downloaded for it (its distribution points' complete CRLs and their delta
/// CRLs), as parsed by the <see cref="CrlReader{TCrl}"/> (signature, issuer, scope, freshness, entry). Unknown when they
/// cannot tell; never Good on doubt. Runs on the request path.
/// </summary>
public delegate RevocationStatus CrlLookup<in TCrl>(IReadOnlyList<TCrl> crls, CertificatePath path, int index, DateTimeOffset validationTime)
    where TCrl : class;
