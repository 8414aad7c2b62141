using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MtlsGateway.Telemetry;

namespace MtlsGateway.Tests.Gateway.Telemetry;

/// <summary>
/// ASP.NET Core's hosting opens a log scope and an Activity per request while its diagnostics category is enabled at
/// any level; the gateway turns it off by default, and a Logging setting naming the category still decides.
/// </summary>
public sealed class HostingDiagnosticsLoggingTests
{
    [Fact]
    public void The_hosting_diagnostics_category_is_off_by_default_even_under_a_verbose_default_level()
    {
        using var services = Logging(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Trace", ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information" });
        var factory = services.GetRequiredService<ILoggerFactory>();

        Assert.False(factory.CreateLogger(GatewayLoggingExtensions.HostingDiagnosticsCategory).IsEnabled(LogLevel.Critical));
        Assert.True(factory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").IsEnabled(LogLevel.Information));
        Assert.True(factory.CreateLogger("MtlsGateway.ClientCertificates.ClientCertificateValidationMiddleware").IsEnabled(LogLevel.Trace));
    }

    [Fact]
    public void A_logging_setting_naming_the_category_wins()
    {
        using var services = Logging(new Dictionary<string, string?> { ["Logging:LogLevel:" + GatewayLoggingExtensions.HostingDiagnosticsCategory] = "Warning" });
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(GatewayLoggingExtensions.HostingDiagnosticsCategory);

        Assert.True(logger.IsEnabled(LogLevel.Warning));
        Assert.False(logger.IsEnabled(LogLevel.Information));
    }

    private static ServiceProvider Logging(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        // In the order WebApplication.CreateBuilder and the gateway register them: configuration first.
        return new ServiceCollection()
            .AddLogging(logging => logging.AddConfiguration(configuration.GetSection("Logging")).AddGatewayLogging())
            .BuildServiceProvider();
    }
}
