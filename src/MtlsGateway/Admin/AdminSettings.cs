using System.Globalization;
using System.Text.RegularExpressions;
using MtlsGateway.Hosting;

namespace MtlsGateway.Admin;

/// <summary><c>Gateway:Admin:Url</c>: where the plain-HTTP admin listener (health, status) listens.</summary>
internal static partial class AdminSettings
{
    public const string UrlKey = "Gateway:Admin:Url";
    public const string DefaultUrl = "http://127.0.0.1:9090";

    /// <exception cref="GatewayConfigurationException">The setting is not http://host:port.</exception>
    public static string Url(IConfiguration configuration)
    {
        var url = configuration[UrlKey] is { Length: > 0 } configured ? configured.Trim() : DefaultUrl;
        if (url.StartsWith("https:", StringComparison.OrdinalIgnoreCase))
        {
            throw new GatewayConfigurationException(UrlKey, $"'{url}': the admin listener serves plain HTTP only (keep it on loopback or a private network; it carries no secrets)");
        }

        var match = HostAndPort().Match(url);
        if (!match.Success || !int.TryParse(match.Groups["port"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new GatewayConfigurationException(UrlKey, $"'{url}' is not of the form http://host:port (for example {DefaultUrl}, or http://0.0.0.0:9090 in a container)");
        }

        return url.TrimEnd('/');
    }

    [GeneratedRegex(@"^http://(?:[A-Za-z0-9.\-]+|\*|\+|\[[0-9A-Fa-f:.]+\]):(?<port>[0-9]{1,5})/?$", RegexOptions.CultureInvariant)]
    private static partial Regex HostAndPort();
}
