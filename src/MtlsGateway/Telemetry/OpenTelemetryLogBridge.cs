using OpenTelemetry;

namespace MtlsGateway.Telemetry;

/// <summary>
/// Sends the host's logs to the OpenTelemetry SDK's logger provider. Exceptions are replaced by their one-line summary
/// (types and messages) on the way: the OTLP log exporter would otherwise ship full stack traces.
/// </summary>
internal sealed class OpenTelemetryLogBridge(OpenTelemetrySdk sdk) : ILoggerProvider
{
    private readonly ILoggerFactory factory = sdk.GetLoggerFactory();

    public ILogger CreateLogger(string categoryName) => new SummarizingLogger(factory.CreateLogger(categoryName));

    public void Dispose()
    {
        // The SDK owns the factory and is disposed by DI.
    }

    private sealed class SummarizingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(logLevel, eventId, state, exception is null ? null : new LoggedExceptionSummary(exception), formatter);
    }
}

/// <summary>Stands for a logged exception: its summary only, never thrown, so it carries no stack trace.</summary>
#pragma warning disable CA1032, CA1064 // Not a thrown exception type: only a carrier for a log record's summary.
internal sealed class LoggedExceptionSummary(Exception original) : Exception(OneLineConsoleFormatter.Summarize(original));
#pragma warning restore CA1032, CA1064
