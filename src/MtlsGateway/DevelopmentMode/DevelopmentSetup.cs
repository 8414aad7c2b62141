namespace MtlsGateway.DevelopmentMode;

/// <summary>
/// Makes <c>dotnet run</c> work on a fresh clone (Development only): creates the PKI the configuration points at when
/// it is missing, and starts the echo upstream that the Development routes forward to.
/// </summary>
internal static class DevelopmentSetup
{
    public static async Task<EchoUpstream?> PrepareAsync(WebApplicationBuilder builder)
    {
        var options = Options(builder.Configuration);
        if (options.PkiFolder is { Length: > 0 } folder)
        {
            var path = Path.GetFullPath(folder, builder.Environment.ContentRootPath);
            if (!DevelopmentPki.Exists(path))
            {
                DevelopmentPki.Create(path);
                Console.WriteLine($"Development PKI created in {path}:");
                foreach (var file in DevelopmentPki.Files)
                {
                    Console.WriteLine("  " + file + (DevelopmentPki.PrivateFiles.Contains(file) ? " (private key, owner-only 0600)" : string.Empty));
                }
            }
            else if (DevelopmentPki.RefreshCrl(path))
            {
                Console.WriteLine($"Development CRL re-issued in {path}");
            }
        }

        if (!options.EchoUpstream)
        {
            return null;
        }

        var echo = await EchoUpstream.StartAsync().ConfigureAwait(false);
        var cluster = options.EchoCluster;
        builder.Configuration.AddInMemoryCollection([new($"ReverseProxy:Clusters:{cluster}:Destinations:echo:Address", echo.Address.ToString())]);
        return echo;
    }

    /// <summary>The command a developer can paste to get through the gateway with the Development client certificate.</summary>
    public static string? CurlCommand(IConfiguration configuration, string contentRoot, IEnumerable<string> addresses)
    {
        if (Options(configuration).PkiFolder is not { Length: > 0 } folder)
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

    /// <summary>Read before the host is built (the PKI must exist before Kestrel loads its certificate); validated with the rest at start-up.</summary>
    private static DevelopmentOptions Options(IConfiguration configuration) =>
        configuration.GetSection(DevelopmentOptions.SectionName).Get<DevelopmentOptions>() ?? new DevelopmentOptions();

    private static string Quote(string folder, string file)
    {
        var path = Path.Combine(folder, file);
        return path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;
    }
}
