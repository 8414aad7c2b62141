using MtlsGateway.Telemetry;

namespace MtlsGateway.Hosting;

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

            if (current is Microsoft.Extensions.Options.OptionsValidationException validation)
            {
                // Each failure starts with its full key.
                return string.Join("; ", validation.Failures);
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
