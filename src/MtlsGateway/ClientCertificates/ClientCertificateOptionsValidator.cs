using Microsoft.Extensions.Options;
using MtlsGateway.Validation.Policies;

namespace MtlsGateway.ClientCertificates;

/// <summary>Checks the settings at start-up; each failure names the configuration key it is about.</summary>
internal sealed class ClientCertificateOptionsValidator : IValidateOptions<ClientCertificateOptions>
{
    private const string Prefix = ClientCertificateOptions.SectionName + ":";
    private const int MinimumOfMinimumKeySize = 1024;

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

        if (options.MaxChainCertificates is < 1 or > 100)
        {
            failures.Add(Prefix + $"MaxChainCertificates: {options.MaxChainCertificates} is outside 1..100");
        }

        if (options.MaxHandshakeBytes is < 4096 or > 1024 * 1024)
        {
            failures.Add(Prefix + $"MaxHandshakeBytes: {options.MaxHandshakeBytes} is outside 4096..1048576");
        }

        if (options.SessionChainMemoryBytes is < 64 * 1024 or > 1024L * 1024 * 1024)
        {
            failures.Add(Prefix + $"SessionChainMemoryBytes: {options.SessionChainMemoryBytes} is outside 65536..1073741824");
        }

        // PKITS and other conformance suites need 1024; below that no key is worth a signature, above 16384 none is in use.
        if (options.MinimumKeySize is < MinimumOfMinimumKeySize or > 16384)
        {
            failures.Add(Prefix + $"MinimumKeySize: {options.MinimumKeySize} is outside {MinimumOfMinimumKeySize}..16384 bits");
        }

        if (options.RequireEkuExtension && !options.RequireClientAuthEku)
        {
            failures.Add(Prefix + "RequireEkuExtension: requires RequireClientAuthEku, which checks what the extension allows");
        }

        for (var index = 0; index < options.Policies.Acceptable.Count; index++)
        {
            if (ObjectIdentifiers.Problem(options.Policies.Acceptable[index]) is { } problem)
            {
                failures.Add(Prefix + $"Policies:Acceptable:{index}: {problem}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
