using System.Net;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.Telemetry;
using MtlsGateway.TestSupport.Loopback;

namespace MtlsGateway.IntegrationTests.Telemetry;

/// <summary>Logs handed to OpenTelemetry exporters carry an exception's summary, never its stack trace.</summary>
[Collection(ProcessWideTelemetry.Name)]
public sealed class LogExportTests : IDisposable
{
    private readonly TestPki pki = new();

    public void Dispose() => pki.Dispose();

    [Fact]
    public async Task A_logged_proxy_error_reaches_the_exporter_without_a_stack_trace()
    {
        var port = LoopbackPort.Unused();

        await using var gateway = await ObservedGateway.StartAsync(pki, new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:upstream:Destinations:one:Address"] = $"http://127.0.0.1:{port}/",
        });
        Assert.Equal(HttpStatusCode.BadGateway, await gateway.GetAsync(pki.Client("unlucky")));

        var withException = gateway.Telemetry.Logs.Where(log => log.Exception is not null).ToList();
        Assert.NotEmpty(withException);
        Assert.All(withException, log =>
        {
            Assert.IsType<LoggedExceptionSummary>(log.Exception);
            Assert.Null(log.Exception!.StackTrace);
            Assert.Contains("HttpRequestException", log.Exception.Message, StringComparison.Ordinal);
        });
    }
}
