using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MtlsGateway.IntegrationTests.Harness;

namespace MtlsGateway.IntegrationTests.Authorization;

/// <summary>
/// The request path authenticates from the verdict, once per client identity: no authentication handler is resolved
/// per request, neither by the gateway's step nor by the AuthenticationMiddleware WebApplication would add on its own
/// when authentication services exist. Authorization still decides every request.
/// </summary>
public sealed class AuthenticationStepTests : IDisposable
{
    private readonly TestPki pki = new();

    public void Dispose() => pki.Dispose();

    [Theory]
    [InlineData(null, "Tests", HttpStatusCode.OK)]
    [InlineData("tests", "Tests", HttpStatusCode.OK)]
    [InlineData("tests", "Others", HttpStatusCode.Forbidden)]
    public async Task Requests_are_authorized_without_a_handler_per_request(string? policy, string allowedOrganization, HttpStatusCode expected)
    {
        var settings = new Dictionary<string, string?>();
        if (policy is not null)
        {
            settings["Gateway:Authorization:DefaultPolicy"] = policy;
            settings[$"Gateway:Authorization:Policies:{policy}:Allow:0:Organizations:0"] = allowedOrganization;
        }

        var handlerRequests = 0;
        await using var gateway = await TestGateway.StartAsync(pki, settings, services: services => CountHandlerRequests(services, () => Interlocked.Increment(ref handlerRequests)));
        using var client = gateway.CreateClient(pki.Client("counted"));

        // A refused client's connection is closed after its refusal; the client opens a new one and is refused again.
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.GetAsync("/");
            Assert.Equal(expected, response.StatusCode);
        }

        Assert.Equal(0, Volatile.Read(ref handlerRequests));
    }

    private static void CountHandlerRequests(IServiceCollection services, Action counted)
    {
        services.RemoveAll<IAuthenticationHandlerProvider>();
        services.AddScoped<IAuthenticationHandlerProvider>(provider =>
            new CountingHandlerProvider(ActivatorUtilities.CreateInstance<AuthenticationHandlerProvider>(provider), counted));
    }

    private sealed class CountingHandlerProvider(IAuthenticationHandlerProvider inner, Action counted) : IAuthenticationHandlerProvider
    {
        public Task<IAuthenticationHandler?> GetHandlerAsync(HttpContext context, string authenticationScheme)
        {
            counted();
            return inner.GetHandlerAsync(context, authenticationScheme);
        }
    }
}
