using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MtlsGateway.TestSupport.Logging;

/// <summary>Keeps every log event of the code under test, so a test can assert what an operator would see.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public ConcurrentQueue<CapturedLogEvent> Events { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Events);

    /// <summary>Events with the given id.</summary>
    public IEnumerable<CapturedLogEvent> WithId(int eventId) => Events.Where(e => e.EventId.Id == eventId);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<CapturedLogEvent> events) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.ToDictionary(p => p.Key, p => p.Value)
                : new Dictionary<string, object?>();
            events.Enqueue(new CapturedLogEvent(category, logLevel, eventId, formatter(state, exception), fields, exception));
        }
    }
}
