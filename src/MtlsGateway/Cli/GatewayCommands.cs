using System.CommandLine;

namespace MtlsGateway.Cli;

/// <summary>The operator verbs. Exit codes: 0 success, 1 usage or configuration error, 2 certificate rejected.</summary>
internal static class GatewayCommands
{
    public const int Success = 0;
    public const int UsageError = 1;
    public const int Rejected = 2;

    private static readonly string[] HelpTokens = ["--help", "-h", "-?", "/?", "/h", "--version"];

    /// <summary>The verbs, in the order <c>--help</c> lists them.</summary>
    public static IReadOnlyList<string> Verbs { get; } = [.. CreateRoot().Subcommands.Select(command => command.Name)];

    /// <summary>Whether <paramref name="args"/> ask for a verb or for help (anything else runs the gateway, or is refused).</summary>
    public static bool Handles(string[] args) =>
        args.Length > 0 && (Verbs.Contains(args[0], StringComparer.Ordinal) || HelpTokens.Contains(args[0], StringComparer.OrdinalIgnoreCase));

    /// <summary>Runs a verb; a mistyped option or argument is one line on stderr and exit code 1.</summary>
    public static Task<int> InvokeAsync(string[] args)
    {
        var parsed = CreateRoot().Parse(args);
        if (parsed.Errors.Count > 0)
        {
            var verb = parsed.CommandResult.Command is RootCommand ? "MtlsGateway" : "MtlsGateway " + string.Join(' ', Path(parsed.CommandResult));
            // The unrecognized token says more than the "required command was not provided" that comes with it.
            var error = parsed.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parsed.Errors[0];
            Console.Error.WriteLine($"{verb}: {error.Message.TrimEnd('.')}{Suggestion(parsed)} (see {verb} --help)");
            return Task.FromResult(UsageError);
        }

        return parsed.InvokeAsync();
    }

    /// <summary>For a mistyped subcommand (<c>token lst</c>): the closest one.</summary>
    private static string Suggestion(ParseResult parsed)
    {
        var subcommands = parsed.CommandResult.Command.Subcommands.Select(command => command.Name).ToList();
        return parsed.UnmatchedTokens is [var token, ..]
            && Settings.EditDistance.Closest(token, subcommands) is { } closest
            && Settings.EditDistance.Between(token, closest) <= Math.Max(2, closest.Length / 3)
            ? $"; did you mean {closest}?"
            : string.Empty;
    }

    private static Stack<string> Path(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new Stack<string>();
        for (System.CommandLine.Parsing.SymbolResult? current = result; current is System.CommandLine.Parsing.CommandResult command && command.Command is not RootCommand; current = current.Parent)
        {
            names.Push(command.Command.Name);
        }

        return names;
    }

    private static RootCommand CreateRoot()
    {
        var root = new RootCommand(
            "MtlsGateway: a mutual-TLS reverse proxy. Without a command, runs the gateway from appsettings.json in the current directory; "
            + "it then takes only --environment <name>, --contentRoot <folder> and settings such as --Gateway:Admin:Url=<url>.");
        root.Subcommands.Add(CheckCertCommand.Create());
        root.Subcommands.Add(DevPkiCommand.Create());
        root.Subcommands.Add(TokenCommand.Create());
        root.Subcommands.Add(HealthCheckCommand.Create());
        return root;
    }
}
