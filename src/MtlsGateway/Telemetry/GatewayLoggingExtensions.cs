using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Logs;

namespace MtlsGateway.Telemetry;

/// <summary>The gateway's logging: one line per event on the console, and no stack trace in any exported log record.</summary>
public static class GatewayLoggingExtensions
{
    /// <summary>ASP.NET Core's per-request hosting log category (request starting/finished, start-up errors of the host).</summary>
    public const string HostingDiagnosticsCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

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

        // While this category is enabled at any level, ASP.NET Core's hosting opens a log scope and creates an Activity
        // for every request, listened to or not (2.2 KB allocated per keep-alive request, a third of what the whole
        // request costs). The gateway prints no scopes and exports spans only through a tracer, which creates its own
        // Activities. Inserted first so that a Logging setting naming this category, read from configuration, wins.
        logging.Services.Configure<LoggerFilterOptions>(options =>
            options.Rules.Insert(0, new LoggerFilterRule(providerName: null, categoryName: HostingDiagnosticsCategory, logLevel: LogLevel.None, filter: null)));
        return logging;
    }
}
