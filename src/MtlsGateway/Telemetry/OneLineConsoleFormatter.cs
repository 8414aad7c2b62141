using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace MtlsGateway.Telemetry;

/// <summary>
/// Console output with one line per event. An exception is reduced to its types and messages: a stack trace says
/// too much about the gateway's internals to end up in logs that are shipped around. Control characters, wherever
/// they come from (a certificate's subject, a file name, an exception message), are escaped (<see cref="LogText"/>).
/// </summary>
internal sealed class OneLineConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "gateway-one-line";

    public override void Write<TState>(in LogEntry<TState> logEntry, Microsoft.Extensions.Logging.IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception) ?? string.Empty;
        textWriter.Write(DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
        textWriter.Write(' ');
        textWriter.Write(LevelName(logEntry.LogLevel));
        textWriter.Write(' ');
        textWriter.Write(logEntry.Category);
        textWriter.Write(": ");
        textWriter.Write(LogText.Escape(message));
        if (logEntry.Exception is not null)
        {
            textWriter.Write(" [");
            textWriter.Write(LogText.Escape(Summarize(logEntry.Exception)));
            textWriter.Write(']');
        }

        textWriter.WriteLine();
    }

    public static string Summarize(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var parts = new List<string>();
        for (var current = exception; current is not null && parts.Count < 5; current = current.InnerException)
        {
            parts.Add($"{current.GetType().Name}: {current.Message.ReplaceLineEndings(" ")}");
        }

        return string.Join(" <- ", parts);
    }

    private static string LevelName(Microsoft.Extensions.Logging.LogLevel level) => level switch
    {
        Microsoft.Extensions.Logging.LogLevel.Trace => "trce",
        Microsoft.Extensions.Logging.LogLevel.Debug => "dbug",
        Microsoft.Extensions.Logging.LogLevel.Information => "info",
        Microsoft.Extensions.Logging.LogLevel.Warning => "warn",
        Microsoft.Extensions.Logging.LogLevel.Error => "fail",
        Microsoft.Extensions.Logging.LogLevel.Critical => "crit",
        _ => "none",
    };
}
