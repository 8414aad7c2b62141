namespace MtlsGateway.Tls.Handshakes;

/// <summary>
/// Kestrel's TLS middleware catches a failed handshake's exception and only logs it at Debug
/// (<c>AuthenticationFailed</c>, <c>AuthenticationTimedOut</c>). This provider receives exactly those two events (a
/// filter rule of its own enables them, whatever the other providers' levels) and hands the exception to the
/// connection's observation, which the connection middleware then reports once, rate-limited.
/// </summary>
[ProviderAlias("MtlsGatewayHandshakeErrors")]
internal sealed class KestrelHandshakeErrorCapture(HandshakeObservations observations) : ILoggerProvider
{
    public const string Category = "Microsoft.AspNetCore.Server.Kestrel.Https.Internal.HttpsConnectionMiddleware";

    public ILogger CreateLogger(string categoryName) =>
        categoryName == Category ? new CapturingLogger(observations) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(HandshakeObservations observations) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (observations.Current is not { } observation)
            {
                return;
            }

            if (eventId.Name == "AuthenticationFailed" && exception is not null)
            {
                observation.HandshakeError = exception;
            }
            else if (eventId.Name == "AuthenticationTimedOut")
            {
                observation.HandshakeError = exception ?? new TimeoutException("the TLS handshake timed out");
            }
        }
    }
}
