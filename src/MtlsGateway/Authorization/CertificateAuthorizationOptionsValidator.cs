using Microsoft.Extensions.Options;

namespace MtlsGateway.Authorization;

/// <summary>The policies must be enforceable as written (see <see cref="CertificatePolicySettings"/>).</summary>
internal sealed class CertificateAuthorizationOptionsValidator : IValidateOptions<CertificateAuthorizationOptions>
{
    public ValidateOptionsResult Validate(string? name, CertificateAuthorizationOptions options)
    {
        var problems = new List<string>();
        CertificatePolicySettings.Create(options, problems);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
