using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using MtlsGateway.DevelopmentMode;
using MtlsGateway.Telemetry;

namespace MtlsGateway.Hosting;

/// <summary>Runs the gateway until it is stopped; a configuration problem ends it with one line and exit code 1.</summary>
internal static class GatewayRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        WebApplication app;
        try
        {
            app = await GatewayApplication.BuildAsync(args).ConfigureAwait(false);
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
}

/// <summary>Turns a start-up failure into the one line an operator needs: the setting, then the problem.</summary>
internal static class StartupErrors
{
    public static string Describe(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is GatewayConfigurationException configuration)
            {
                return configuration.Message;
            }

            if (current is AggregateException aggregate && aggregate.InnerExceptions.Count > 0)
            {
                return Describe(aggregate.InnerExceptions[0]);
            }
        }

        if (Innermost<IOException>(exception) is { } io && io.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            return "Kestrel:Endpoints: " + io.Message;
        }

        return OneLineConsoleFormatter.Summarize(exception);
    }

    private static T? Innermost<T>(Exception exception)
        where T : Exception
    {
        T? found = null;
        for (var current = exception; current is not null; current = current.InnerException)
        {
            found = current as T ?? found;
        }

        return found;
    }
}
