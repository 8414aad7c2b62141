using MtlsGateway.Telemetry;

namespace MtlsGateway.Tls.Handshakes;

/// <summary>
/// Reports every handshake that failed on the client's certificate: counted always
/// (<c>mtlsgateway.tls.handshake.failures{reason}</c>), logged once per connection through a token bucket (a burst of
/// <see cref="Burst"/> lines, then one per second), with one line per <see cref="SummaryInterval"/> saying how many
/// were not logged. A flood of failing handshakes cannot fill a disk.
/// </summary>
internal sealed partial class HandshakeFailureReporter : IDisposable
{
    public const int Burst = 20;
    public static readonly TimeSpan SummaryInterval = TimeSpan.FromMinutes(1);

    private readonly GatewayMetrics metrics;
    private readonly ILogger<HandshakeFailureReporter> logger;
    private readonly LogTokenBucket bucket;
    private readonly ITimer summary;

    public HandshakeFailureReporter(GatewayMetrics metrics, ILogger<HandshakeFailureReporter> logger, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.metrics = metrics;
        this.logger = logger;
        bucket = new LogTokenBucket(Burst, TimeSpan.FromSeconds(1), timeProvider);
        summary = timeProvider.CreateTimer(_ => LogSuppressed(), null, SummaryInterval, SummaryInterval);
    }

    public void Report(HandshakeObservation observation, string remoteAddress)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var (reason, detail) = HandshakeFailureClassifier.Classify(observation);
        metrics.HandshakeFailed(reason.ToCode());
        if (!bucket.TryTake())
        {
            return;
        }

        var names = ClientCertificateNames.Read(observation.CallbackCertificate ?? (observation.ClientLeaf is { } leaf ? leaf : null));
        var unreadable = observation.Protocol == System.Security.Authentication.SslProtocols.Tls13 ? "not visible (TLS 1.3 encrypts it)" : "unreadable";
        LogFailure(
            logger,
            reason.ToCode(),
            detail,
            remoteAddress,
            observation.Protocol?.ToString() ?? "unknown",
            names?.Subject ?? unreadable,
            names?.Issuer ?? unreadable);
    }

    public void Dispose() => summary.Dispose();

    private void LogSuppressed()
    {
        var count = bucket.TakeSuppressed();
        if (count > 0)
        {
            LogNotLogged(logger, count, SummaryInterval);
        }
    }

    [LoggerMessage(EventId = EventIds.TlsHandshakeFailed, EventName = nameof(EventIds.TlsHandshakeFailed), Level = LogLevel.Warning, Message = "TLS handshake failed on the client certificate: {Reason}: {Detail} (remote {RemoteAddress}, {Protocol}, subject '{Subject}', issuer '{Issuer}')")]
    private static partial void LogFailure(ILogger logger, string reason, string detail, string remoteAddress, string protocol, string subject, string issuer);

    [LoggerMessage(EventId = EventIds.TlsHandshakeFailuresNotLogged, EventName = nameof(EventIds.TlsHandshakeFailuresNotLogged), Level = LogLevel.Warning, Message = "{Count} further TLS handshake failures not logged in the last {Interval} (all are counted in mtlsgateway.tls.handshake.failures)")]
    private static partial void LogNotLogged(ILogger logger, long count, TimeSpan interval);
}
