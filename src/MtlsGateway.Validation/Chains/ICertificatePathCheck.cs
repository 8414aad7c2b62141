namespace MtlsGateway.Validation.Chains;

/// <summary>
/// One step of the validation pipeline, run after the chain is built and the validity window and usage are checked.
/// Revocation is one such check.
/// </summary>
public interface ICertificatePathCheck
{
    ValueTask<PathCheckResult> CheckAsync(CertificatePath path, DateTimeOffset validationTime, CancellationToken cancellationToken);
}
