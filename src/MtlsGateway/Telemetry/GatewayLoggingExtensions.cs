using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Logs;

namespace MtlsGateway.Telemetry;

/// <summary>The gateway's logging: one line per event on the console, and no stack trace in any exported log record.</summary>
public static class GatewayLoggingExtensions
{
    /// <summary>
    /// Call before anything else adds to the OpenTelemetry logger provider: processors run in the order they were
    /// added, so every exporter added later (the OTLP one, or a test's) is handed summaries only.
    /// </summary>
    public static ILoggingBuilder AddGatewayLogging(this ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.AddConsole(options => options.FormatterName = OneLineConsoleFormatter.FormatterName)
            .AddConsoleFormatter<OneLineConsoleFormatter, ConsoleFormatterOptions>();
        logging.Services.Configure<OpenTelemetryLoggerOptions>(options => options.IncludeFormattedMessage = true);
        logging.Services.ConfigureOpenTelemetryLoggerProvider(provider => provider.AddProcessor(new ExceptionSummaryProcessor()));
        return logging;
    }
}
