using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using MtlsGateway.Hosting;

namespace MtlsGateway.Tests.Gateway.Hosting;

public sealed class KestrelLimitsSetupTests
{
    [Fact]
    public void Limits_from_configuration_reach_Kestrels_options()
    {
        var options = Configure(new()
        {
            ["Kestrel:Limits:MaxConcurrentConnections"] = "4096",
            ["Kestrel:Limits:MaxRequestHeaderCount"] = "50",
            ["Kestrel:Limits:Http2:MaxStreamsPerConnection"] = "20",
        });
        Assert.Equal(4096, options.Limits.MaxConcurrentConnections);
        Assert.Equal(50, options.Limits.MaxRequestHeaderCount);
        Assert.Equal(20, options.Limits.Http2.MaxStreamsPerConnection);
    }

    [Fact]
    public void Without_the_section_Kestrels_defaults_stay()
    {
        var options = Configure([]);
        Assert.Null(options.Limits.MaxConcurrentConnections);
        Assert.Equal(new KestrelServerLimits().MaxRequestHeadersTotalSize, options.Limits.MaxRequestHeadersTotalSize);
    }

    [Theory]
    [InlineData("Kestrel:Limits:MaxConcurrentConnections", "-5")]
    [InlineData("Kestrel:Limits:MaxRequestHeaderCount", "0")]
    [InlineData("Kestrel:Limits:Http2:MaxStreamsPerConnection", "0")]
    public void A_value_Kestrel_refuses_names_its_key(string key, string value)
    {
        var error = Assert.Throws<GatewayConfigurationException>(() => Configure(new() { ["Kestrel:Limits:MaxConcurrentConnections"] = "10", [key] = value }));
        Assert.Equal(key, error.Key);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_value_that_is_no_number_names_the_section_and_the_key()
    {
        var error = Assert.Throws<GatewayConfigurationException>(() => Configure(new() { ["Kestrel:Limits:MaxConcurrentConnections"] = "many" }));
        Assert.StartsWith("Kestrel:Limits", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxConcurrentConnections", error.Message, StringComparison.Ordinal);
    }

    private static KestrelServerOptions Configure(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = new KestrelServerOptions();
        new KestrelLimitsSetup(configuration).Configure(options);
        return options;
    }
}
