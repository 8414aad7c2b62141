namespace MtlsGateway.IntegrationTests.Telemetry;

/// <summary>
/// Tests that count what the OpenTelemetry SDK collected. .NET's meters and activity sources are process-wide (an SDK
/// listens to every <c>Microsoft.AspNetCore</c> source and <c>MtlsGateway</c> meter in the process), so these tests
/// run alone, after the parallel ones, where no other test gateway can add to their counts.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideTelemetry
{
    public const string Name = "Telemetry (process-wide listeners)";
}
