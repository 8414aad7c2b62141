using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace MtlsGateway.IntegrationTests.Harness;

/// <summary>
/// The measurements one gateway's counters record while a test runs (other gateways in the same test process are
/// left out: only instruments of this gateway's meter factory are listened to).
/// </summary>
internal sealed class GatewayMeasurements : IDisposable
{
    /// <summary>The counter of completed TLS handshakes: one per new connection.</summary>
    public const string Handshakes = "mtlsgateway.tls.handshakes";

    private readonly MeterListener listener = new();
    private readonly ConcurrentQueue<(string Instrument, long Value, Dictionary<string, object?> Tags)> recorded = new();

    public GatewayMeasurements(TestGateway gateway, params string[] instruments)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var factory = gateway.Services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory) && instruments.Contains(instrument.Name))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            recorded.Enqueue((instrument.Name, value, copy));
        });
        listener.Start();
    }

    /// <summary>The sum of what <paramref name="instrument"/> recorded with tag <paramref name="tag"/> = <paramref name="value"/>.</summary>
    public long Sum(string instrument, string tag, string value) =>
        recorded.Where(m => m.Instrument == instrument && m.Tags.TryGetValue(tag, out var v) && Equals(v, value)).Sum(m => m.Value);

    /// <summary>The sum of everything <paramref name="instrument"/> recorded.</summary>
    public long Total(string instrument) => recorded.Where(m => m.Instrument == instrument).Sum(m => m.Value);

    public void Dispose() => listener.Dispose();
}
