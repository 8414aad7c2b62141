using Microsoft.Extensions.Options;
using MtlsGateway.Settings;
using MtlsGateway.Telemetry;

namespace MtlsGateway.RequestScreening;

/// <summary>
/// Registers what screens a request before routing: the header screening (<c>Gateway:ClientIdentityHeaders</c>,
/// <c>Gateway:AllowUnderscoresInHeaderNames</c>) and the request-target rules, with their instruments. The pipeline
/// places <see cref="RequestHeaderScreening"/> and <see cref="RequestTargetScreening"/>.
/// </summary>
internal static class RequestScreeningServiceCollectionExtensions
{
    public static IServiceCollection AddRequestScreening(this IServiceCollection services)
    {
        services.AddValidatedOptions<RequestHeaderOptions, RequestHeaderOptionsValidator>(RequestHeaderOptions.SectionName);
        services.AddSingleton(provider => new ClientIdentityHeaders(provider.GetRequiredService<IOptions<RequestHeaderOptions>>().Value.ClientIdentityHeaders));
        services.AddSingleton<RequestScreeningMetrics>();
        return services;
    }
}
