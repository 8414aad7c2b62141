using System.Diagnostics;

namespace MtlsGateway.Telemetry;

/// <summary>The gateway's own <see cref="ActivitySource"/> (<c>MtlsGateway</c>), owned by DI so it is disposed with the host.</summary>
public sealed class GatewayTracing : IDisposable
{
    public const string SourceName = "MtlsGateway";

    public GatewayTracing()
    {
        Source = new ActivitySource(SourceName, typeof(GatewayTracing).Assembly.GetName().Version?.ToString());
    }

    public ActivitySource Source { get; }

    public void Dispose() => Source.Dispose();
}
