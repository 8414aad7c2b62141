using System.CommandLine;

namespace MtlsGateway.Cli;

/// <summary>The operator verbs. Exit codes: 0 success, 1 usage or configuration error, 2 certificate rejected.</summary>
internal static class GatewayCommands
{
    public const int Success = 0;
    public const int UsageError = 1;
    public const int Rejected = 2;

    private static readonly string[] HelpTokens = ["--help", "-h", "-?", "--version"];

    public static bool Handles(string[] args) =>
        args.Length > 0 && (CreateRoot().Subcommands.Any(command => command.Name == args[0]) || HelpTokens.Contains(args[0]));

    public static Task<int> InvokeAsync(string[] args) => CreateRoot().Parse(args).InvokeAsync();

    private static RootCommand CreateRoot()
    {
        var root = new RootCommand("MtlsGateway: a mutual-TLS reverse proxy. Without a verb, runs the gateway from appsettings.json in the current directory.");
        root.Subcommands.Add(CheckCertCommand.Create());
        root.Subcommands.Add(DevPkiCommand.Create());
        root.Subcommands.Add(TokenCommand.Create());
        root.Subcommands.Add(HealthCheckCommand.Create());
        return root;
    }
}
