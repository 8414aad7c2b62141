using MtlsGateway.Telemetry;

namespace MtlsGateway.Hosting;

/// <summary>Turns a start-up failure into the one line an operator needs: the setting, then the problem.</summary>
internal static partial class StartupErrors
{
    public static string Describe(Exception exception)
    {
        if (Settings.SettingsFileErrors.Describe(exception) is { } settingsFile)
        {
            return settingsFile;
        }

        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is GatewayConfigurationException configuration)
            {
                return configuration.Message;
            }

            if (current is Microsoft.Extensions.Options.OptionsValidationException validation)
            {
                // Each failure starts with its full key.
                return string.Join("; ", validation.Failures);
            }

            if (current is AggregateException aggregate && aggregate.InnerExceptions.Count > 0)
            {
                return Describe(aggregate.InnerExceptions[0]);
            }

            if (current is InvalidOperationException && BinderFailure().Match(current.Message) is { Success: true } binder)
            {
                // A setting the known-settings check does not cover (Logging, Kestrel's own keys), failed in the binder.
                return $"{binder.Groups["key"].Value}: cannot be read as {binder.Groups["type"].Value.Split('.')[^1]}{(current.InnerException is { } inner ? " (" + inner.Message.TrimEnd('.') + ")" : string.Empty)}";
            }
        }

        if (Innermost<IOException>(exception) is { } io && io.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            return "Kestrel:Endpoints: " + io.Message;
        }

        return OneLineConsoleFormatter.Summarize(exception);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^Failed to convert configuration value (?:'.*' )?at '(?<key>[^']+)' to type '(?<type>[^']+)'", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex BinderFailure();

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
