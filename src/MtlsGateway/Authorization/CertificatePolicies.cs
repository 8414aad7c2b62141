using Microsoft.Extensions.Primitives;
using MtlsGateway.Hosting;

namespace MtlsGateway.Authorization;

/// <summary>
/// The current authorization settings, replaced when the configuration reloads. A reload that does not parse keeps
/// the last good settings and logs why, like the trust list does.
/// </summary>
public sealed partial class CertificatePolicies : IDisposable
{
    private readonly IConfigurationSection section;
    private readonly ILogger<CertificatePolicies> logger;
    private readonly IDisposable reloadRegistration;
    private volatile CertificatePolicySettings current;

    /// <exception cref="GatewayConfigurationException">The initial settings are invalid.</exception>
    public CertificatePolicies(IConfiguration configuration, ILogger<CertificatePolicies> logger)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        section = configuration.GetSection(CertificatePolicySettings.SectionName);
        this.logger = logger;
        current = CertificatePolicySettings.Load(section);
        reloadRegistration = ChangeToken.OnChange(configuration.GetReloadToken, Reload);
    }

    public CertificatePolicySettings Current => current;

    public void Dispose() => reloadRegistration.Dispose();

    private void Reload()
    {
        try
        {
            current = CertificatePolicySettings.Load(section);
        }
        catch (GatewayConfigurationException e)
        {
            LogReloadFailed(logger, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Authorization policies not reloaded, keeping the last good ones: {Problem}")]
    private static partial void LogReloadFailed(ILogger logger, string problem);
}
