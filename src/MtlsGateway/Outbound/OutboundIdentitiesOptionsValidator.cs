using Microsoft.Extensions.Options;
using MtlsGateway.Hosting;

namespace MtlsGateway.Outbound;

/// <summary>Every identity can be loaded as written (<see cref="OutboundIdentityConfiguration"/>); the first problem names its key.</summary>
internal sealed class OutboundIdentitiesOptionsValidator(IHostEnvironment environment) : IValidateOptions<OutboundIdentitiesOptions>
{
    public ValidateOptionsResult Validate(string? name, OutboundIdentitiesOptions options)
    {
        try
        {
            _ = OutboundIdentityConfiguration.Read(options, environment.ContentRootPath);
            return ValidateOptionsResult.Success;
        }
        catch (GatewayConfigurationException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}
