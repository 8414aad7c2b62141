using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Crypto;

namespace MtlsGateway.Validation.Revocation.Crl;

/// <summary>The "crl-file" revocation source: answers from the CRLs of the configured local files.</summary>
public sealed class CrlFileRevocationSource : IRevocationSource
{
    private readonly Func<CrlSet> crls;
    private readonly CrlStatusEvaluator evaluator;

    /// <param name="crls">The current CRLs, normally <c>() =&gt; store.Current</c> of a <see cref="CrlFileStore"/>.</param>
    /// <param name="clockSkew">The same tolerance the path validation uses.</param>
    /// <param name="minimums">The same crypto minimums the path validation uses; default <see cref="CryptoMinimums.Default"/>.</param>
    public CrlFileRevocationSource(Func<CrlSet> crls, TimeSpan clockSkew, CryptoMinimums? minimums = null)
    {
        this.crls = crls;
        evaluator = new CrlStatusEvaluator(clockSkew, minimums);
    }

    public string Name => "crl-file";

    public ValueTask<RevocationStatus> GetStatusAsync(CertificatePath path, int index, DateTimeOffset validationTime, CancellationToken cancellationToken) =>
        ValueTask.FromResult(evaluator.Evaluate(Name, crls(), path, index, validationTime));
}
