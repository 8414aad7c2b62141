using OpenTelemetry;
using OpenTelemetry.Logs;

namespace MtlsGateway.Telemetry;

/// <summary>
/// Replaces a log record's exception by its one-line summary (types and messages) before any exporter sees it: the
/// OTLP exporter would otherwise ship the full stack trace as <c>exception.stacktrace</c>.
/// </summary>
internal sealed class ExceptionSummaryProcessor : BaseProcessor<LogRecord>
{
    public override void OnEnd(LogRecord data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Exception is { } exception and not LoggedExceptionSummary)
        {
            data.Exception = new LoggedExceptionSummary(exception);
        }
    }
}
