using MtlsGateway.Cli;
using MtlsGateway.Hosting;

namespace MtlsGateway;

internal static class Program
{
    /// <summary>With a verb (check-cert, dev-pki) runs that command; otherwise runs the gateway with the arguments as host settings.</summary>
    public static Task<int> Main(string[] args) =>
        GatewayCommands.Handles(args) ? GatewayCommands.InvokeAsync(args) : GatewayRunner.RunAsync(args);
}
