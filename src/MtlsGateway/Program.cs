using MtlsGateway.Cli;
using MtlsGateway.Hosting;

namespace MtlsGateway;

internal static class Program
{
    /// <summary>
    /// With a verb (check-cert, dev-pki, token, healthcheck) runs that command; otherwise runs the gateway, which takes
    /// only host options and settings (<see cref="GatewayArguments"/>): a mistyped verb or option is an error, never a start.
    /// </summary>
    public static Task<int> Main(string[] args)
    {
        if (GatewayCommands.Handles(args))
        {
            return GatewayCommands.InvokeAsync(args);
        }

        if (GatewayArguments.Problem(args, GatewayCommands.Verbs) is { } problem)
        {
            Console.Error.WriteLine("MtlsGateway: " + problem);
            return Task.FromResult(GatewayCommands.UsageError);
        }

        return GatewayRunner.RunAsync(args);
    }
}
