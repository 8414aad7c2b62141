using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using MtlsGateway.Hosting;
using MtlsGateway.Settings;

namespace MtlsGateway.Authorization;

/// <summary>
/// The current authorization settings, replaced when the configuration reloads. A reload that does not validate keeps
/// the last good settings and logs why, like the trust list does; one that brings an unknown key anywhere is refused
/// whole (<see cref="SettingsReloadGuard"/> says so).
/// </summary>
internal sealed partial class CertificatePolicies : IDisposable
{
    private readonly IConfiguration configuration;
    private readonly IOptionsFactory<CertificateAuthorizationOptions> factory;
    private readonly KnownSettings known;
    private readonly ILogger<CertificatePolicies> logger;
    private readonly IDisposable reloadRegistration;
    private volatile CertificatePolicySettings current;

    /// <exception cref="GatewayConfigurationException">The initial settings are invalid.</exception>
    public CertificatePolicies(IConfiguration configuration, IOptionsFactory<CertificateAuthorizationOptions> factory, KnownSettings known, ILogger<CertificatePolicies> logger)
    {
        this.configuration = configuration;
        this.factory = factory;
        this.known = known;
        this.logger = logger;
        current = Load();
        reloadRegistration = ChangeToken.OnChange(configuration.GetReloadToken, Reload);
    }

    public CertificatePolicySettings Current => current;

    public void Dispose() => reloadRegistration.Dispose();

    private CertificatePolicySettings Load()
    {
        try
        {
            var options = factory.Create(Options.DefaultName);
            var problems = new List<string>();
            return CertificatePolicySettings.Create(options, problems)
                ?? throw new GatewayConfigurationException(CertificateAuthorizationOptions.SectionName, string.Join("; ", problems));
        }
        catch (OptionsValidationException e)
        {
            throw GatewayConfigurationException.ForFailures(CertificateAuthorizationOptions.SectionName, e.Failures, e);
        }
        catch (InvalidOperationException e)
        {
            // The binder's message names the key and the value it could not convert.
            throw new GatewayConfigurationException(CertificateAuthorizationOptions.SectionName, e.Message, e);
        }
    }

    /// <summary>Runs on the configuration's file-watcher thread: nothing may escape it, or the process ends.</summary>
    private void Reload()
    {
        try
        {
            if (known.Problem(configuration) is not null)
            {
                return;
            }

            current = Load();
        }
        catch (GatewayConfigurationException e)
        {
            LogReloadFailed(logger, e.Message);
        }
#pragma warning disable CA1031 // The last good policies stay whatever the reload met; the log says what.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogReloadFailed(logger, $"{e.GetType().Name}: {e.Message}");
        }
    }

    [LoggerMessage(EventId = EventIds.AuthorizationPoliciesNotReloaded, EventName = nameof(EventIds.AuthorizationPoliciesNotReloaded), Level = LogLevel.Error, Message = "Authorization policies not reloaded, keeping the last good ones: {Problem}")]
    private static partial void LogReloadFailed(ILogger logger, string problem);
}
