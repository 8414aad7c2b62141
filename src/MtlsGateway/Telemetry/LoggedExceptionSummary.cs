namespace MtlsGateway.Telemetry;

/// <summary>Stands for a logged exception: its summary only, never thrown, so it carries no stack trace.</summary>
#pragma warning disable CA1032, CA1064 // Not a thrown exception type: only a carrier for a log record's summary.
internal sealed class LoggedExceptionSummary(Exception original) : Exception(OneLineConsoleFormatter.Summarize(original));
#pragma warning restore CA1032, CA1064
