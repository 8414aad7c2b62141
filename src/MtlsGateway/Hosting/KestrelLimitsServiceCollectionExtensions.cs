using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace MtlsGateway.Hosting;

/// <summary>Registers the binding of <c>Kestrel:Limits</c> (see <see cref="KestrelLimitsSetup"/>); its keys are known keys (see Settings).</summary>
internal static class KestrelLimitsServiceCollectionExtensions
{
    public static IServiceCollection AddKestrelLimits(this IServiceCollection services) =>
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, KestrelLimitsSetup>();
}
