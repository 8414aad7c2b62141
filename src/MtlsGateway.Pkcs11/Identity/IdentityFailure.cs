namespace MtlsGateway.Pkcs11.Identity;

/// <summary>Why an outbound identity could not be loaded or failed its self-test.</summary>
public enum IdentityFailure
{
    InvalidConfiguration,
    ModuleMissing,
    EngineUnavailable,
    TokenNotFound,
    WrongPin,
    PinLocked,
    KeyNotFound,
    KeyAmbiguous,
    CertificateMissing,
    CertificateMismatch,
    CertificateNotYetValid,
    CertificateExpired,
    TokenError,
}
