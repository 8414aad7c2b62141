using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MtlsGateway.Tls.Handshakes;

namespace MtlsGateway.Tls;

/// <summary>Registers mutual TLS on every Kestrel endpoint, and the start-up check of the <c>Kestrel</c> endpoints and server certificates.</summary>
internal static class MutualTlsServiceCollectionExtensions
{
    public static IServiceCollection AddMutualTls(this IServiceCollection services)
    {
        // Not a Gateway section: its known keys are Kestrel's (see KnownSettings), so it is bound without registering them.
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<KestrelTlsOptions>().BindConfiguration(KestrelTlsOptions.SectionName);
        services.AddSingleton<IValidateOptions<KestrelTlsOptions>, KestrelTlsOptionsValidator>();
        services.AddSingleton<HandshakeTrust>();
        services.AddSingleton<HandshakeObservations>();
        services.AddSingleton<HandshakeFailureReporter>();
        services.AddSingleton<TlsConnectionGuard>();

        // Kestrel logs a failed handshake's exception at Debug only; this provider receives just that event.
        services.AddSingleton<ILoggerProvider, KestrelHandshakeErrorCapture>();
        services.Configure<LoggerFilterOptions>(filters => filters.Rules.Add(
            new LoggerFilterRule(typeof(KestrelHandshakeErrorCapture).FullName, KestrelHandshakeErrorCapture.Category, LogLevel.Debug, filter: null)));
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, MutualTlsKestrelSetup>();
        services.AddHostedService<KestrelSettingsChangeNotice>();
        return services;
    }
}
