using System.Reflection;
using Microsoft.Extensions.Options;
using MtlsGateway.Admin;
using MtlsGateway.Authorization;
using MtlsGateway.ClientCertificates;
using MtlsGateway.DevelopmentMode;
using MtlsGateway.Outbound;
using MtlsGateway.Proxy;
using MtlsGateway.RequestScreening;
using MtlsGateway.Revocation;
using MtlsGateway.Settings;
using MtlsGateway.Telemetry;
using MtlsGateway.Tls;
using MtlsGateway.Tls.Handshakes;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Trust;
using Yarp.ReverseProxy.Configuration;

namespace MtlsGateway.Hosting;

/// <summary>Builds the gateway: Kestrel with mutual TLS, the validation middleware, per-route authorization and YARP.</summary>
public static class GatewayApplication
{
    /// <summary>
    /// Builds the application and checks its configuration (so a bad setting fails here, with a
    /// <see cref="GatewayConfigurationException"/>, not halfway through start-up).
    /// </summary>
    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.KeepLastGoodSettingsFiles();
        builder.Logging.AddGatewayLogging();
        customize?.Invoke(builder);
        var echo = builder.Environment.IsDevelopment() ? await DevelopmentSetup.PrepareAsync(builder).ConfigureAwait(false) : null;

        builder.Services
            .AddKnownSettings()
            .AddGatewayTelemetry(builder.Configuration)
            .AddGatewayAdmin()
            .AddMutualTls()
            .AddKestrelLimits()
            .AddClientCertificateValidation()
            .AddRevocation()
            .AddCertificateAuthorization()
            .AddGatewayProxy(builder.Configuration)
            .AddRequestScreening()
            .AddOutboundIdentities()
            .AddValidatedOptions<DevelopmentOptions, DevelopmentOptionsValidator>(DevelopmentOptions.SectionName);
        builder.Services.AddInMemoryDataProtection();

        // First of all: a misspelt setting must not be read as "not set" by anything that follows.
        builder.Services.VerifyKnownSettings(builder.Configuration);
        var app = builder.Build();
        if (echo is not null)
        {
            app.Lifetime.ApplicationStopped.Register(() => echo.DisposeAsync().AsTask().GetAwaiter().GetResult());
        }

        app.UseMiddleware<CloseNotifyMiddleware>();
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = InternalErrorResponse.WriteAsync });
        // Before anything reads them: a client never asserts its own identity through headers.
        app.UseMiddleware<RequestHeaderScreening>();
        // Before routing: the route that judges a request must be the route that forwards it.
        app.UseMiddleware<RequestTargetScreening>();
        // Routing before validation, so refusals carry the route they were made for (metrics, spans).
        app.UseRouting();
        app.UseMiddleware<RouteIdTagging>();
        app.UseMiddleware<ClientCertificateValidationMiddleware>();
        app.UseClientCertificateAuthentication();
        app.UseAuthorization();
        app.MapReverseProxy();
        VerifyConfiguration(app.Services);
        return app;
    }

    /// <summary>Resolves what start-up needs now, so every configuration error surfaces before Kestrel starts.</summary>
    private static void VerifyConfiguration(IServiceProvider services)
    {
        foreach (var section in services.GetServices<KnownSettingsSection>().Append(new KnownSettingsSection(KestrelTlsOptions.SectionName, typeof(KestrelTlsOptions))))
        {
            ValidOptions(services, section);
        }

        _ = services.GetRequiredService<RevocationSources>();
        _ = services.GetRequiredService<TrustListProvider>();
        _ = services.GetRequiredService<ClientCertificateValidator>();
        var policies = services.GetRequiredService<CertificatePolicies>().Current;
        var proxy = services.GetRequiredService<IProxyConfigProvider>().GetConfig();
        foreach (var cluster in proxy.Clusters)
        {
            ProxyConfigurationRules.VerifyCluster(cluster);
        }

        var clusterIds = proxy.Clusters.Select(cluster => cluster.ClusterId).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var route in proxy.Routes)
        {
            ProxyConfigurationRules.VerifyRoute(route, route.ClusterId is { } id && clusterIds.Contains(id), policies);
        }

        OutboundStartupCheck.Verify(services);
    }

    private static void ValidOptions(IServiceProvider services, KnownSettingsSection section)
    {
        var options = services.GetRequiredService(typeof(IOptions<>).MakeGenericType(section.OptionsType));
        try
        {
            _ = options.GetType().GetProperty(nameof(IOptions<object>.Value))!.GetValue(options);
        }
        catch (TargetInvocationException wrapper) when (wrapper.InnerException is OptionsValidationException e)
        {
            // Each failure already starts with its full key.
            throw GatewayConfigurationException.ForFailures(section.Path, e.Failures, e);
        }
        catch (TargetInvocationException wrapper) when (wrapper.InnerException is InvalidOperationException e)
        {
            // The binder's own message names the key and the value it could not convert.
            throw new GatewayConfigurationException(section.Path, e.Message, e);
        }
        catch (TargetInvocationException wrapper) when (wrapper.InnerException is GatewayConfigurationException e)
        {
            throw e;
        }
    }
}
