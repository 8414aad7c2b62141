using System.Reflection;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace MtlsGateway.Hosting;

/// <summary>
/// Binds <c>Kestrel:Limits</c> (MaxConcurrentConnections, header and body limits, HTTP/2 limits) onto Kestrel's
/// options: the host's defaults read only Kestrel's endpoints and certificates from configuration, so without this a
/// connection limit in appsettings.json would be silently ignored. A value Kestrel refuses stops start-up naming the key.
/// </summary>
internal sealed class KestrelLimitsSetup(IConfiguration configuration) : IConfigureOptions<KestrelServerOptions>
{
    public const string SectionName = "Kestrel:Limits";

    public void Configure(KestrelServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var section = configuration.GetSection(SectionName);
        try
        {
            section.Bind(options.Limits);
        }
        catch (InvalidOperationException e)
        {
            throw new GatewayConfigurationException(SectionName, e.Message, e);
        }
        catch (TargetInvocationException e) when (e.InnerException is ArgumentException invalid)
        {
            // Kestrel's own setters refuse values out of range (a negative connection limit, say) without naming the key.
            var key = section.AsEnumerable().Where(entry => entry.Value is not null).Select(entry => entry.Key).FirstOrDefault(key => !Binds(key)) ?? SectionName;
            throw new GatewayConfigurationException(key, invalid.Message.Split('\n')[0].Trim(), invalid);
        }
    }

    /// <summary>Whether the one setting at <paramref name="key"/> binds alone.</summary>
    private bool Binds(string key)
    {
        var alone = new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create(key, configuration[key])]).Build();
        try
        {
            alone.GetSection(SectionName).Bind(new KestrelServerOptions().Limits);
            return true;
        }
        catch (Exception e) when (e is TargetInvocationException or InvalidOperationException)
        {
            return false;
        }
    }
}
