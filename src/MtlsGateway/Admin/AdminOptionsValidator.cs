using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace MtlsGateway.Admin;

/// <summary><c>Gateway:Admin:Url</c> must be <c>http://host:port</c>: the admin listener serves plain HTTP on its own port.</summary>
internal sealed partial class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    private const string UrlKey = AdminOptions.SectionName + ":Url";

    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var url = options.Url?.Trim() ?? string.Empty;
        if (url.StartsWith("https:", StringComparison.OrdinalIgnoreCase))
        {
            return ValidateOptionsResult.Fail($"{UrlKey}: '{url}': the admin listener serves plain HTTP only (keep it on loopback or a private network; it carries no secrets)");
        }

        var match = HostAndPort().Match(url);
        return !match.Success || !int.TryParse(match.Groups["port"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535
            ? ValidateOptionsResult.Fail($"{UrlKey}: '{url}' is not of the form http://host:port (for example {AdminOptions.DefaultUrl}, or http://0.0.0.0:{AdminOptions.DefaultPort} in a container; Gateway:Admin:Enabled false turns the listener off)")
            : ValidateOptionsResult.Success;
    }

    [GeneratedRegex(@"^http://(?:[A-Za-z0-9.\-]+|\*|\+|\[[0-9A-Fa-f:.]+\]):(?<port>[0-9]{1,5})/?$", RegexOptions.CultureInvariant)]
    private static partial Regex HostAndPort();
}
