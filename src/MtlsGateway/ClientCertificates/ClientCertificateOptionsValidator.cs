using Microsoft.Extensions.Options;

namespace MtlsGateway.ClientCertificates;

/// <summary>Checks the settings at start-up; each failure names the configuration key it is about.</summary>
internal sealed class ClientCertificateOptionsValidator : IValidateOptions<ClientCertificateOptions>
{
    private const string Prefix = ClientCertificateOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, ClientCertificateOptions options)
    {
        var failures = new List<string>();
        if (options.TrustedCaFiles.Count == 0)
        {
            failures.Add(Prefix + "TrustedCaFiles: at least one trusted CA file or folder is required (the gateway trusts no CA by default)");
        }

        failures.AddRange(options.TrustedCaFiles.Concat(options.IntermediateFiles).Where(string.IsNullOrWhiteSpace)
            .Select(_ => Prefix + "TrustedCaFiles/IntermediateFiles: an entry is empty"));
        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > TimeSpan.FromHours(1))
        {
            failures.Add(Prefix + $"ClockSkew: {options.ClockSkew} is outside 00:00:00..01:00:00");
        }

        if (options.ReloadInterval < TimeSpan.FromSeconds(1))
        {
            failures.Add(Prefix + $"ReloadInterval: {options.ReloadInterval} is shorter than one second");
        }

        if (options.VerdictCacheSize < 1)
        {
            failures.Add(Prefix + $"VerdictCacheSize: {options.VerdictCacheSize} must be at least 1");
        }

        if (options.VerdictCacheLifetime <= TimeSpan.Zero)
        {
            failures.Add(Prefix + $"VerdictCacheLifetime: {options.VerdictCacheLifetime} must be positive");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
