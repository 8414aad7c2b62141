namespace MtlsGateway.DevelopmentMode;

/// <summary>
/// Makes <c>dotnet run</c> work on a fresh clone (Development only): creates the PKI the configuration points at when
/// it is missing, and starts the echo upstream that the Development routes forward to.
/// </summary>
internal static class DevelopmentSetup
{
    public const string PkiFolderKey = "Gateway:Development:PkiFolder";
    public const string EchoUpstreamKey = "Gateway:Development:EchoUpstream";
    public const string EchoClusterKey = "Gateway:Development:EchoCluster";

    public static async Task<EchoUpstream?> PrepareAsync(WebApplicationBuilder builder)
    {
        if (builder.Configuration[PkiFolderKey] is { Length: > 0 } folder)
        {
            var path = Path.GetFullPath(folder, builder.Environment.ContentRootPath);
            if (!DevelopmentPki.Exists(path))
            {
                DevelopmentPki.Create(path);
                Console.WriteLine($"Development PKI created in {path}");
            }
            else if (DevelopmentPki.RefreshCrl(path))
            {
                Console.WriteLine($"Development CRL re-issued in {path}");
            }
        }

        if (!builder.Configuration.GetValue<bool>(EchoUpstreamKey))
        {
            return null;
        }

        var echo = await EchoUpstream.StartAsync().ConfigureAwait(false);
        var cluster = builder.Configuration[EchoClusterKey] ?? "dev-echo";
        builder.Configuration.AddInMemoryCollection([new($"ReverseProxy:Clusters:{cluster}:Destinations:echo:Address", echo.Address.ToString())]);
        return echo;
    }

    /// <summary>The command a developer can paste to get through the gateway with the Development client certificate.</summary>
    public static string? CurlCommand(IConfiguration configuration, string contentRoot, IEnumerable<string> addresses)
    {
        if (configuration[PkiFolderKey] is not { Length: > 0 } folder)
        {
            return null;
        }

        var pki = Path.GetFullPath(folder, contentRoot);
        var address = addresses.FirstOrDefault(a => a.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
        if (address is null)
        {
            return null;
        }

        var url = new UriBuilder(address) { Host = "localhost", Path = "/hello" }.Uri;
        return $"curl --cacert {Quote(pki, DevelopmentPki.CaCertificateFile)} --cert {Quote(pki, DevelopmentPki.ClientCertificateFile)} --key {Quote(pki, DevelopmentPki.ClientKeyFile)} {url}";
    }

    private static string Quote(string folder, string file)
    {
        var path = Path.Combine(folder, file);
        return path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;
    }
}
