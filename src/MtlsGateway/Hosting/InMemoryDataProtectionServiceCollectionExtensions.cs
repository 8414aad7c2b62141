using Microsoft.AspNetCore.DataProtection;

namespace MtlsGateway.Hosting;

/// <summary>
/// ASP.NET Core authentication and YARP (its session affinity cookies) register Data Protection, whose default key ring
/// is an XML file under <c>$HOME/.aspnet/DataProtection-Keys</c>, created at start-up, unencrypted, with a warning.
/// Nothing the gateway protects has to outlive the process (affinity cookies are per replica anyway), so the keys live
/// in memory: nothing is written and nothing warned about.
/// </summary>
internal static class InMemoryDataProtectionServiceCollectionExtensions
{
    /// <summary>Registers Data Protection with an in-memory key ring; call after every registration that adds Data Protection.</summary>
    public static IServiceCollection AddInMemoryDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().UseEphemeralDataProtectionProvider();

        // The package's start-up service loads its XML key ring ahead of the first request, which creates and writes
        // a key file; the ephemeral provider never uses that key ring, and nothing else asks for it.
        var dataProtectionAssembly = typeof(DataProtectionBuilderExtensions).Assembly;
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(IHostedService) && services[i].ImplementationType?.Assembly == dataProtectionAssembly)
            {
                services.RemoveAt(i);
            }
        }

        return services;
    }
}
