using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.Tls.Handshakes;

namespace MtlsGateway.IntegrationTests.Tls;

/// <summary>
/// A handshake's observation belongs to the handshake: the requests of the connection, and whatever they start, run
/// without it (so in the default execution context, with nothing to carry across every await).
/// </summary>
public sealed class HandshakeObservationFlowTests : IDisposable
{
    private readonly TestPki pki = new();

    public void Dispose() => pki.Dispose();

    [Fact]
    public async Task Requests_of_a_connection_no_longer_carry_its_handshake_observation()
    {
        var requests = 0;
        var withObservation = 0;
        await using var gateway = await TestGateway.StartAsync(pki, services: services => services.AddSingleton<IStartupFilter>(provider =>
            new RecordObservationFilter(provider.GetRequiredService<HandshakeObservations>(), observed =>
            {
                Interlocked.Increment(ref requests);
                if (observed)
                {
                    Interlocked.Increment(ref withObservation);
                }
            })));
        using var client = gateway.CreateClient(pki.Client("flow"));

        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync("/");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(3, Volatile.Read(ref requests));
        Assert.Equal(0, Volatile.Read(ref withObservation));
    }

    private sealed class RecordObservationFilter(HandshakeObservations observations, Action<bool> record) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, RequestDelegate following) =>
            {
                // The admin listener's probes come without TLS; only the mutual-TLS endpoint's requests count.
                if (context.Request.IsHttps)
                {
                    record(observations.Current is not null);
                }

                return following(context);
            });
            next(app);
        };
    }
}
