namespace MtlsGateway.Proxy;

/// <summary>Registers YARP (<c>ReverseProxy</c>, reloaded on change) with the gateway's route rules and its identity-forwarding transform.</summary>
internal static class GatewayProxyServiceCollectionExtensions
{
    public static IServiceCollection AddGatewayProxy(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddReverseProxy()
            .LoadFromConfig(configuration.GetSection("ReverseProxy"))
            .AddConfigFilter<ProxyConfigurationRules>()
            .AddTransformFactory<ClientCertForwardingTransformFactory>();
        return services;
    }
}
