namespace MtlsGateway.Validation.Revocation.Fetching;

/// <summary>
/// The seam to CRL parsing for delta CRLs: where the delta CRLs of a downloaded complete CRL are published (its
/// freshestCRL extension, RFC 5280 5.2.6); <see cref="RevocationEndpoints.None"/> when it announces none.
/// </summary>
public delegate RevocationEndpoints CrlDeltaLocations<in TCrl>(TCrl crl)
    where TCrl : class;
