using Microsoft.Extensions.Options;

namespace MtlsGateway.LoadFloor;

/// <summary>Refuses settings the floor cannot run with, naming the key.</summary>
internal sealed class FloorOptionsValidator : IValidateOptions<FloorOptions>
{
    public ValidateOptionsResult Validate(string? name, FloorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Url.Scheme != Uri.UriSchemeHttps || options.Url.HostNameType is not (UriHostNameType.IPv4 or UriHostNameType.IPv6))
        {
            failures.Add($"{FloorOptions.SectionName}:Url: '{options.Url}' is not https:// with a literal IP address");
        }

        foreach (var (key, path) in new[] { ("CertificatePath", options.CertificatePath), ("KeyPath", options.KeyPath), ("CaPath", options.CaPath) })
        {
            if (!File.Exists(path))
            {
                failures.Add($"{FloorOptions.SectionName}:{key}: '{path}' does not exist");
            }
        }

        if (options.Mode == FloorMode.Proxy && options.Upstream is null)
        {
            failures.Add($"{FloorOptions.SectionName}:Upstream: required in Proxy mode");
        }

        if (options.UpstreamVersion is not ("1.1" or "2"))
        {
            failures.Add($"{FloorOptions.SectionName}:UpstreamVersion: '{options.UpstreamVersion}' is neither 1.1 nor 2");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
