using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace MtlsGateway.Tls;

/// <summary>Registers mutual TLS on every Kestrel endpoint, and the start-up check of the <c>Kestrel</c> endpoints and server certificates.</summary>
internal static class MutualTlsServiceCollectionExtensions
{
    public static IServiceCollection AddMutualTls(this IServiceCollection services)
    {
        // Not a Gateway section: its known keys are Kestrel's (see KnownSettings), so it is bound without registering them.
        services.AddOptions<KestrelTlsOptions>().BindConfiguration(KestrelTlsOptions.SectionName);
        services.AddSingleton<IValidateOptions<KestrelTlsOptions>, KestrelTlsOptionsValidator>();
        services.AddSingleton<HandshakeTrust>();
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, MutualTlsKestrelSetup>();
        return services;
    }
}
