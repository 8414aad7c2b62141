namespace MtlsGateway.Pkcs11.Enrollment;

/// <summary>A key pair generated on the token and the CSR it signed.</summary>
public sealed record EnrollmentResult(string KeyLabel, string KeyIdHex, string CertificateSigningRequestPem);
