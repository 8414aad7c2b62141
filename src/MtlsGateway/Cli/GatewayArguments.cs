using MtlsGateway.Settings;

namespace MtlsGateway.Cli;

/// <summary>
/// The arguments of a gateway run (no verb). The host would read any <c>--key value</c> as a setting and start anyway,
/// so a mistyped verb or option would silently start the gateway; only these pass:
/// <list type="bullet">
/// <item><c>--environment &lt;name&gt;</c> and <c>--contentRoot &lt;folder&gt;</c> (also <c>--name=value</c> and <c>name=value</c>);</item>
/// <item>configuration overrides naming a key with its section, <c>--Section:Key value</c>, <c>--Section:Key=value</c> or
/// <c>Section:Key=value</c>, which go through the same checks as appsettings.json.</item>
/// </list>
/// Everything else (<c>--urls</c> included: the gateway listens only on its <c>Kestrel:Endpoints</c>) is refused.
/// </summary>
internal static class GatewayArguments
{
    private static readonly string[] HostOptions = ["environment", "contentRoot"];

    /// <summary>What is wrong with <paramref name="args"/>, as one line, or null when the gateway may run with them.</summary>
    public static string? Problem(IReadOnlyList<string> args, IReadOnlyList<string> verbs)
    {
        ArgumentNullException.ThrowIfNull(args);
        for (var i = 0; i < args.Count; i++)
        {
            var token = args[i];
            var dashed = token.StartsWith("--", StringComparison.Ordinal);
            var body = dashed ? token[2..] : token;
            var equals = body.IndexOf('=', StringComparison.Ordinal);
            var key = equals >= 0 ? body[..equals] : body;
            if (!dashed && equals < 0)
            {
                return UnknownCommand(token, verbs);
            }

            if (key.Length == 0 || (!key.Contains(':', StringComparison.Ordinal) && !HostOptions.Contains(key, StringComparer.OrdinalIgnoreCase)))
            {
                return token.StartsWith('-') || equals >= 0
                    ? $"unknown option '{(dashed ? "--" + key : key)}'; {Usage(verbs)}"
                    : UnknownCommand(token, verbs);
            }

            if (equals < 0)
            {
                // --key value: the value is the next argument.
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    return $"{token} needs a value; {Usage(verbs)}";
                }

                i++;
            }
        }

        return null;
    }

    private static string UnknownCommand(string token, IReadOnlyList<string> verbs)
    {
        var closest = EditDistance.Closest(token, verbs);
        var suggestion = closest is not null && EditDistance.Between(token, closest) <= Math.Max(2, closest.Length / 3) ? $"did you mean {closest}? " : string.Empty;
        return $"unknown command '{token}'; {suggestion}{Usage(verbs)}";
    }

    private static string Usage(IReadOnlyList<string> verbs) =>
        $"commands: {string.Join(", ", verbs)} (MtlsGateway <command> --help); without a command the gateway runs and takes only --environment <name>, --contentRoot <folder> and settings such as --Gateway:Admin:Url=<url>";
}
