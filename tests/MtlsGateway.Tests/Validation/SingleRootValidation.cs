using System.Security.Cryptography.X509Certificates;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Trust;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.Tests.Validation;

/// <summary>Runs a path through the gateway's validator, with a trust list of one root written to a temporary file.</summary>
internal static class SingleRootValidation
{
    /// <param name="intermediates">What the client sends besides its certificate (without private keys, as in a handshake).</param>
    /// <param name="checks">Path checks after the chain (revocation); none when null.</param>
    public static async Task<ValidationVerdict> JudgeAsync(
        TestCa root,
        X509Certificate2 leaf,
        IEnumerable<TestCa> intermediates,
        PathValidationPolicy? policy = null,
        IReadOnlyList<ICertificatePathCheck>? checks = null)
    {
        var folder = Directory.CreateTempSubdirectory("single-root-").FullName;
        try
        {
            var file = Path.Combine(folder, "root.pem");
            await File.WriteAllTextAsync(file, root.Certificate.ExportCertificatePem());
            var trust = TrustList.Load([file], [], DateTimeOffset.UtcNow);
            var validator = new ClientCertificateValidator(() => trust, policy ?? new PathValidationPolicy(), checks ?? [], new ValidationEpoch());
            return await validator.ValidateAsync(X509CertificateLoader.LoadCertificate(leaf.RawData), [.. intermediates.Select(ca => ca.PublicCertificate)], DateTimeOffset.UtcNow, default);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
