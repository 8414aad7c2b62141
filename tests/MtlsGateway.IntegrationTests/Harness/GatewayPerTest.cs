namespace MtlsGateway.IntegrationTests.Harness;

/// <summary>
/// What most integration test classes begin with: a PKI of their own and a real gateway started on it before each
/// test (xUnit makes one instance per test) and stopped after it. A class with settings of its own passes them to the
/// constructor or overrides <see cref="StartGatewayAsync"/>; one that needs more set-up overrides
/// <see cref="InitializeAsync"/> or <see cref="DisposeAsync"/> and calls the base.
/// </summary>
public abstract class GatewayPerTest : IAsyncLifetime
{
    private protected readonly TestPki pki;
    private protected TestGateway gateway = null!;

    private readonly IDictionary<string, string?>? settings;

    /// <param name="pki">The gateway's PKI (disposed here); a new default one when null.</param>
    /// <param name="settings">Configuration on top of the defaults of <see cref="TestGateway"/>.</param>
    private protected GatewayPerTest(TestPki? pki = null, IDictionary<string, string?>? settings = null)
    {
        this.pki = pki ?? new TestPki();
        this.settings = settings;
    }

    public virtual async Task InitializeAsync() => gateway = await StartGatewayAsync();

    /// <summary>Starts the gateway of one test: with the constructor's settings unless a class starts it its own way.</summary>
    private protected virtual Task<TestGateway> StartGatewayAsync() => TestGateway.StartAsync(pki, settings);

    public virtual async Task DisposeAsync()
    {
        if (gateway is not null)
        {
            await gateway.DisposeAsync();
        }

        pki.Dispose();
    }
}
