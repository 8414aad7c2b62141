using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using MtlsGateway.Telemetry;
using MtlsGateway.Validation.Chains;

namespace MtlsGateway.Tests.Gateway.Telemetry;

public sealed class RefusalMetricsTests
{
    [Fact]
    public void Every_refusal_reason_is_counted_under_its_fixed_code()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var metrics = new GatewayMetrics(factory);
        var seen = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Name == "mtlsgateway.requests.refused")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) => seen.Add((string)tags.ToArray().Single(tag => tag.Key == "reason").Value!));
        listener.Start();

        foreach (var reason in Enum.GetValues<RefusalReason>())
        {
            metrics.RequestRefused(reason);
        }

        Assert.Equal(
            ["untrusted", "expired", "not-yet-valid", "wrong-usage", "revoked", "revocation-unknown", "forbidden", "weak-crypto", "certificate-required"],
            seen);
    }
}
