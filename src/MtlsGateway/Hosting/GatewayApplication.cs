using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MtlsGateway.Admin;
using MtlsGateway.Authorization;
using MtlsGateway.ClientCertificates;
using MtlsGateway.DevelopmentMode;
using MtlsGateway.Outbound;
using MtlsGateway.Proxy;
using MtlsGateway.Revocation;
using MtlsGateway.Telemetry;
using MtlsGateway.Tls;
using MtlsGateway.Validation.Certificates;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Trust;
using MtlsGateway.Validation.Verdicts;
using Yarp.ReverseProxy.Configuration;

namespace MtlsGateway.Hosting;

/// <summary>Builds the gateway: Kestrel with mutual TLS, the validation middleware and YARP.</summary>
public static class GatewayApplication
{
    /// <summary>
    /// Builds the application and checks its configuration (so a bad setting fails here, with a
    /// <see cref="GatewayConfigurationException"/>, not halfway through start-up).
    /// </summary>
    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        customize?.Invoke(builder);
        builder.Logging.AddConsole(options => options.FormatterName = OneLineConsoleFormatter.FormatterName)
            .AddConsoleFormatter<OneLineConsoleFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>();

        EchoUpstream? echo = null;
        if (builder.Environment.IsDevelopment())
        {
            echo = await DevelopmentSetup.PrepareAsync(builder).ConfigureAwait(false);
        }

        AddGatewayServices(builder.Services, builder.Configuration.GetSection("ReverseProxy"));
        var app = builder.Build();
        if (echo is not null)
        {
            app.Lifetime.ApplicationStopped.Register(() => echo.DisposeAsync().AsTask().GetAwaiter().GetResult());
        }

        app.UseMiddleware<ServerSpanNaming>();
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = InternalErrorResponse.WriteAsync });
        app.UseMiddleware<ClientCertificateValidationMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapReverseProxy();
        VerifyConfiguration(app.Services);
        return app;
    }

    private static void AddGatewayServices(IServiceCollection services, IConfigurationSection reverseProxy)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ClientCertificateOptions>()
            .BindConfiguration(ClientCertificateOptions.SectionName)
            .PostConfigure<IHostEnvironment>((options, environment) =>
            {
                ResolveAgainst(environment.ContentRootPath, options.TrustedCaFiles);
                ResolveAgainst(environment.ContentRootPath, options.IntermediateFiles);
            });
        services.AddSingleton<IValidateOptions<ClientCertificateOptions>, ClientCertificateOptionsValidator>();

        services.AddGatewayTelemetry();
        services.AddGatewayAdmin();
        services.AddSingleton<RevocationMetrics>();
        services.AddOptions<RevocationOptions>()
            .BindConfiguration(RevocationOptions.SectionName)
            .PostConfigure<IHostEnvironment>((options, environment) =>
            {
                ResolveAgainst(environment.ContentRootPath, options.CrlFiles);
                options.CrlCacheFolder = Path.GetFullPath(
                    options.CrlCacheFolder ?? Path.Combine(Path.GetTempPath(), "mtlsgateway", "crl-cache"),
                    environment.ContentRootPath);
            });
        services.AddSingleton<IValidateOptions<RevocationOptions>, RevocationOptionsValidator>();
        services.AddSingleton<RevocationSources>();
        services.AddSingleton<ICertificatePathCheck>(provider => provider.GetRequiredService<RevocationSources>().Check);
        services.AddSingleton<ValidationEpoch>();
        services.AddSingleton(CreateTrustListProvider);
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ClientCertificateOptions>>().Value;
            return new VerdictCache(options.VerdictCacheSize, options.VerdictCacheLifetime, provider.GetRequiredService<ValidationEpoch>(), provider.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ClientCertificateOptions>>().Value;
            var trustList = provider.GetRequiredService<TrustListProvider>();
            PolicySettingsWarnings.Log(provider.GetRequiredService<ILoggerFactory>().CreateLogger<ClientCertificateValidator>(), options);
            return new ClientCertificateValidator(
                () => trustList.Current,
                options.ToPathValidationPolicy(),
                [.. provider.GetServices<ICertificatePathCheck>()],
                provider.GetRequiredService<ValidationEpoch>());
        });
        services.AddSingleton<ClientConnectionRegistry>();
        services.AddSingleton<ConnectionVerdicts>();
        services.AddSingleton<HandshakeTrust>();
        services.AddSingleton<IConfigureOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>, MutualTlsKestrelSetup>();

        services.AddSingleton<CertificatePolicies>();
        services.AddAuthentication(ClientCertificateAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ClientCertificateAuthenticationHandler>(ClientCertificateAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddSingleton<IAuthorizationPolicyProvider, ConfiguredPolicyProvider>();
        services.AddSingleton<IAuthorizationHandler, CertificatePolicyHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ForbiddenResponseHandler>();

        services.AddReverseProxy()
            .LoadFromConfig(reverseProxy)
            .AddConfigFilter<ProxyConfigurationRules>()
            .AddTransformFactory<ClientCertForwardingTransformFactory>();
        services.AddOutboundIdentities();
    }

    private static TrustListProvider CreateTrustListProvider(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<ClientCertificateOptions>>().Value;
        try
        {
            return new TrustListProvider(
                options.TrustedCaFiles,
                options.IntermediateFiles,
                options.ReloadInterval,
                provider.GetRequiredService<ValidationEpoch>(),
                provider.GetRequiredService<ILogger<TrustListProvider>>(),
                provider.GetRequiredService<TimeProvider>());
        }
        catch (CertificateSourceException e)
        {
            var setting = options.IntermediateFiles.Any(entry => e.Source.StartsWith(entry, StringComparison.Ordinal)) ? "IntermediateFiles" : "TrustedCaFiles";
            throw new GatewayConfigurationException($"{ClientCertificateOptions.SectionName}:{setting}", e.Message, e);
        }
    }

    /// <summary>Resolves what start-up needs now, so every configuration error surfaces before Kestrel starts.</summary>
    private static void VerifyConfiguration(IServiceProvider services)
    {
        ValidOptions<ClientCertificateOptions>(services, ClientCertificateOptions.SectionName);
        ValidOptions<RevocationOptions>(services, RevocationOptions.SectionName);
        _ = services.GetRequiredService<RevocationSources>();

        _ = services.GetRequiredService<TrustListProvider>();
        _ = services.GetRequiredService<ClientCertificateValidator>();
        _ = AdminSettings.Url(services.GetRequiredService<IConfiguration>());
        ServerCertificateSettings.Verify(services.GetRequiredService<IConfiguration>(), services.GetRequiredService<IHostEnvironment>().ContentRootPath);
        var policies = services.GetRequiredService<CertificatePolicies>().Current;
        var proxyConfig = services.GetRequiredService<IProxyConfigProvider>().GetConfig();
        foreach (var cluster in proxyConfig.Clusters)
        {
            ProxyConfigurationRules.VerifyCluster(cluster);
        }

        foreach (var route in proxyConfig.Routes)
        {
            ProxyConfigurationRules.VerifyRoute(route, policies);
        }

        OutboundSetup.Verify(services);
    }

    private static void ValidOptions<T>(IServiceProvider services, string section)
        where T : class
    {
        try
        {
            _ = services.GetRequiredService<IOptions<T>>().Value;
        }
        catch (OptionsValidationException e)
        {
            // Each failure already starts with its full key.
            throw GatewayConfigurationException.ForFailures(section, e.Failures, e);
        }
        catch (InvalidOperationException e)
        {
            // The binder's own message names the key and the value it could not convert.
            throw new GatewayConfigurationException(section, e.Message, e);
        }
    }

    private static void ResolveAgainst(string contentRoot, List<string> paths)
    {
        for (var i = 0; i < paths.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(paths[i]))
            {
                paths[i] = Path.GetFullPath(paths[i], contentRoot);
            }
        }
    }
}
