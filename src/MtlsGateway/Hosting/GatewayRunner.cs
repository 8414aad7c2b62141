using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using MtlsGateway.DevelopmentMode;

namespace MtlsGateway.Hosting;

/// <summary>Runs the gateway until it is stopped; a configuration problem ends it with one line and exit code 1.</summary>
internal static class GatewayRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        WebApplication app;
        try
        {
            app = await GatewayApplication.BuildAsync(args, RequireSettingsFile).ConfigureAwait(false);
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync("MtlsGateway: cannot start: " + StartupErrors.Describe(e)).ConfigureAwait(false);
            return 1;
        }

        await using (app.ConfigureAwait(false))
        {
            if (app.Environment.IsDevelopment())
            {
                var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
                if (DevelopmentSetup.CurlCommand(app.Configuration, app.Environment.ContentRootPath, addresses) is { } curl)
                {
                    Console.WriteLine("Try it:");
                    Console.WriteLine("  " + curl);
                }
            }

            await app.WaitForShutdownAsync().ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>
    /// The gateway is configured through appsettings.json in its content root. Without the file every setting would be
    /// missing and the first complaint would be about one of them (the trust list), not about the file.
    /// </summary>
    private static void RequireSettingsFile(WebApplicationBuilder builder)
    {
        var folder = builder.Environment.ContentRootPath;
        if (!File.Exists(Path.Combine(folder, SettingsFile)))
        {
            throw new GatewayConfigurationException(SettingsFile, $"not found in {folder.TrimEnd(Path.DirectorySeparatorChar)} (the content root: the current directory, or --contentRoot <folder>)");
        }
    }

    private const string SettingsFile = "appsettings.json";
}
