using Microsoft.Extensions.Primitives;

namespace MtlsGateway.Admin;

/// <summary><c>/status</c> section with when the gateway started and when its configuration (appsettings.json) last reloaded.</summary>
internal sealed class ConfigurationReloads : IStatusContributor, IDisposable
{
    private readonly TimeProvider timeProvider;
    private readonly DateTimeOffset startedAt;
    private readonly IDisposable subscription;
    private DateTimeOffset? reloadedAt;

    public ConfigurationReloads(IConfiguration configuration, TimeProvider timeProvider)
    {
        this.timeProvider = timeProvider;
        startedAt = timeProvider.GetUtcNow();
        subscription = ChangeToken.OnChange(configuration.GetReloadToken, () => reloadedAt = this.timeProvider.GetUtcNow());
    }

    public string Section => "configuration";

    public object Describe() => new { startedAt, reloadedAt };

    public void Dispose() => subscription.Dispose();
}
