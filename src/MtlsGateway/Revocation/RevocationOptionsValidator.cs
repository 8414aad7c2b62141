using Microsoft.Extensions.Options;
using MtlsGateway.Validation.Revocation;

namespace MtlsGateway.Revocation;

internal sealed class RevocationOptionsValidator : IValidateOptions<RevocationOptions>
{
    private const string Prefix = RevocationOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, RevocationOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Mode))
        {
            failures.Add(Prefix + $"Mode: '{options.Mode}' is not Require, BestEffort or Off");
        }

        if (!Enum.IsDefined(options.Scope))
        {
            failures.Add(Prefix + $"Scope: '{options.Scope}' is not Chain or EndEntity");
        }

        if (RevocationCheck.ConfigurationProblem(options.Mode, RevocationSources.EnabledSourceCount(options)) is { } problem)
        {
            failures.Add(Prefix + "Mode: " + problem + " (set CrlFiles, FetchCrls or Ocsp)");
        }

        if (options.FetchTimeout <= TimeSpan.Zero || options.FetchTimeout > TimeSpan.FromMinutes(1))
        {
            failures.Add(Prefix + $"FetchTimeout: {options.FetchTimeout} is outside (0, 00:01:00]");
        }

        if (options.FailureMemory < TimeSpan.Zero)
        {
            failures.Add(Prefix + $"FailureMemory: {options.FailureMemory} is negative");
        }

        if (options.OcspMaxCacheAge <= TimeSpan.Zero)
        {
            failures.Add(Prefix + $"OcspMaxCacheAge: {options.OcspMaxCacheAge} must be positive");
        }

        failures.AddRange(options.CrlFiles.Where(string.IsNullOrWhiteSpace).Select(_ => Prefix + "CrlFiles: an entry is empty"));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
