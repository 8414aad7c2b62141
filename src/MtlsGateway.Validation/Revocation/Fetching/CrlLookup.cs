using MtlsGateway.Validation.Chains;

namespace MtlsGateway.Validation.Revocation.Fetching;

/// <summary>
/// The seam to CRL verification and lookup: judges the certificate at <paramref name="index"/> of
/// <paramref name="path"/> against one downloaded CRL, as parsed by the <see cref="CrlReader{TCrl}"/> (signature,
/// issuer, freshness, entry). Unknown when the CRL cannot be used; never Good on doubt. Runs on the request path.
/// </summary>
public delegate RevocationStatus CrlLookup<in TCrl>(TCrl crl, CertificatePath path, int index, DateTimeOffset validationTime)
    where TCrl : class;
