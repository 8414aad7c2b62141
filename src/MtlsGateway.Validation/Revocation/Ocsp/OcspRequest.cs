namespace MtlsGateway.Validation.Revocation.Ocsp;

/// <summary>An encoded OCSP request for one certificate, with the CertID and nonce the answer must match.</summary>
public sealed record OcspRequest(OcspCertId CertId, byte[] Der, byte[]? Nonce);
