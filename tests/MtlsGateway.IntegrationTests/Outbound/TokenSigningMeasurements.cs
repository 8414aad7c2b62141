using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace MtlsGateway.IntegrationTests.Outbound;

/// <summary>
/// Records the gateway's token signing instruments (<c>mtlsgateway.token.signing.*</c>) as they are measured: the
/// periodic signing check, and <c>token_absent</c>, counted once per probe round while a token identity is unavailable
/// (which also shows that probe rounds are running).
/// </summary>
internal sealed class TokenSigningMeasurements : IDisposable
{
    private readonly MeterListener listener = new();

    public TokenSigningMeasurements(IServiceProvider services)
    {
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, meters) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meterFactory) && instrument.Name.StartsWith("mtlsgateway.token.signing", StringComparison.Ordinal))
            {
                meters.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Record(instrument, tags));
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Record(instrument, tags));
        listener.Start();
    }

    public ConcurrentQueue<(string Instrument, string? Identity, string? Reason)> Recorded { get; } = new();

    public int Count(string instrument, string identity, string? reason = null) =>
        Recorded.Count(m => m.Instrument == instrument && m.Identity == identity && (reason is null || m.Reason == reason));

    public void Dispose() => listener.Dispose();

    private void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? identity = null, reason = null;
        foreach (var tag in tags)
        {
            identity = tag.Key == "identity" ? tag.Value as string : identity;
            reason = tag.Key == "reason" ? tag.Value as string : reason;
        }

        Recorded.Enqueue((instrument.Name, identity, reason));
    }
}
