using Microsoft.Extensions.Logging;

namespace MtlsGateway.TestSupport.Logging;

/// <summary>One log event as <see cref="CapturedLogs"/> kept it, with its structured fields.</summary>
public sealed record CapturedLogEvent(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, object?> Fields, Exception? Exception);
