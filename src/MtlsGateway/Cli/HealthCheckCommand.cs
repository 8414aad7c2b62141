using System.CommandLine;
using MtlsGateway.Admin;

namespace MtlsGateway.Cli;

/// <summary>
/// <c>healthcheck</c>: asks the admin listener whether the gateway is ready; exit 0 on 200, 1 otherwise. The container
/// image has no curl, so its HEALTHCHECK runs this verb of the gateway itself.
/// </summary>
internal static class HealthCheckCommand
{
    public static Command Create()
    {
        var url = new Argument<string>("url")
        {
            Description = "Address to probe",
            DefaultValueFactory = _ => AdminOptions.DefaultUrl + "/healthz/ready",
        };
        var command = new Command("healthcheck", "Probe the admin listener's readiness endpoint (exit 0 when ready)") { url };
        command.SetAction((parseResult, cancellationToken) => ProbeAsync(parseResult.GetValue(url)!, cancellationToken));
        return command;
    }

    private static async Task<int> ProbeAsync(string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var address) || address.Scheme != Uri.UriSchemeHttp)
        {
            await Console.Error.WriteLineAsync($"healthcheck: '{url}' is not an http:// address").ConfigureAwait(false);
            return GatewayCommands.UsageError;
        }

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await client.GetAsync(address, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"{(int)response.StatusCode} {address}");
            return response.IsSuccessStatusCode ? GatewayCommands.Success : GatewayCommands.UsageError;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"healthcheck: {address}: {e.Message}").ConfigureAwait(false);
            return GatewayCommands.UsageError;
        }
    }
}
