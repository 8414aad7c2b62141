using Microsoft.Extensions.Options;

namespace MtlsGateway.Settings;

/// <summary>The one way the gateway reads a configuration section: bound to an options type, validated at start-up, its keys known.</summary>
internal static class SettingsServiceCollectionExtensions
{
    /// <summary>Binds <typeparamref name="TOptions"/> to <paramref name="section"/>, validates it with <typeparamref name="TValidator"/>, and makes its properties the section's known keys.</summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        services.AddSingleton(new KnownSettingsSection(section, typeof(TOptions)));
        return services.AddOptions<TOptions>().BindConfiguration(section);
    }

    /// <summary>
    /// Checks the configuration against the sections registered so far, before the host is built: building it already
    /// creates Kestrel's options, which read the trust list, and a misspelt section must not be reported as a missing one.
    /// </summary>
    /// <exception cref="Hosting.GatewayConfigurationException">Naming the first unknown or misshapen key.</exception>
    public static void VerifyKnownSettings(this IServiceCollection services, IConfiguration configuration) =>
        new KnownSettings(services.Select(service => service.ImplementationInstance).OfType<KnownSettingsSection>()).Verify(configuration);

    /// <summary>
    /// Makes every JSON settings file keep its last good content when a reload finds it broken or gone
    /// (<see cref="LastGoodJsonConfigurationProvider"/>).
    /// </summary>
    public static void KeepLastGoodSettingsFiles(this IConfigurationBuilder configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        for (var i = 0; i < configuration.Sources.Count; i++)
        {
            if (configuration.Sources[i] is Microsoft.Extensions.Configuration.Json.JsonConfigurationSource json and not LastGoodJsonConfigurationSource)
            {
                configuration.Sources[i] = LastGoodJsonConfigurationSource.From(json);
            }
        }
    }

    /// <summary>Registers the known-keys check (once) and its refusal of reloads that bring an unknown key.</summary>
    public static IServiceCollection AddKnownSettings(this IServiceCollection services)
    {
        services.AddSingleton<KnownSettings>();
        services.AddHostedService<SettingsReloadGuard>();
        services.AddHostedService<SettingsFileReloadLog>();
        return services;
    }
}
