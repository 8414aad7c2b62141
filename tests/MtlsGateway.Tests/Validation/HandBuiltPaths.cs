using System.Security.Cryptography.X509Certificates;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Trust;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.Tests.Validation;

/// <summary>Runs hand-built paths through the gateway's validator, with a trust list of one root written to a temporary file.</summary>
internal static class HandBuiltPaths
{
    public static async Task<ValidationVerdict> JudgeAsync(HandBuiltCa root, X509Certificate2 leaf, IEnumerable<HandBuiltCa> intermediates, PathValidationPolicy? policy = null)
    {
        var folder = Directory.CreateTempSubdirectory("handbuilt-").FullName;
        try
        {
            var file = Path.Combine(folder, "root.pem");
            await File.WriteAllTextAsync(file, root.Certificate.ExportCertificatePem());
            var trust = TrustList.Load([file], [], DateTimeOffset.UtcNow);
            var validator = new ClientCertificateValidator(() => trust, policy ?? new PathValidationPolicy(), [], new ValidationEpoch());
            return await validator.ValidateAsync(X509CertificateLoader.LoadCertificate(leaf.RawData), [.. intermediates.Select(ca => ca.Public)], DateTimeOffset.UtcNow, default);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
