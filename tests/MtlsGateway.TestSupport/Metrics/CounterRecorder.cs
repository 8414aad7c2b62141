using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace MtlsGateway.TestSupport.Metrics;

/// <summary>
/// Records what one counter of one meter factory (one gateway's) adds, with its tags: tests in parallel run gateways
/// of their own, so measurements are told apart by the factory that created the meter.
/// </summary>
public sealed class CounterRecorder : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentQueue<IReadOnlyDictionary<string, object?>> measurements = new();

    public CounterRecorder(IMeterFactory scope, string instrumentName)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, scope) && instrument.Name == instrumentName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var recorded = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                recorded[tag.Key] = tag.Value;
            }

            for (var i = 0; i < value; i++)
            {
                measurements.Enqueue(recorded);
            }
        });
        listener.Start();
    }

    /// <summary>One entry per unit added, with the tags it was added with.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object?>> Measurements => [.. measurements];

    /// <summary>How many units were added with tag <paramref name="key"/> equal to <paramref name="value"/>.</summary>
    public int Count(string key, string value) =>
        measurements.Count(tags => tags.TryGetValue(key, out var tag) && Equals(tag, value));

    public void Dispose() => listener.Dispose();
}
