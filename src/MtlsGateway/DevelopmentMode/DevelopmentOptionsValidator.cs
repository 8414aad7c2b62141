using Microsoft.Extensions.Options;

namespace MtlsGateway.DevelopmentMode;

internal sealed class DevelopmentOptionsValidator : IValidateOptions<DevelopmentOptions>
{
    public ValidateOptionsResult Validate(string? name, DevelopmentOptions options) =>
        options.EchoUpstream && string.IsNullOrWhiteSpace(options.EchoCluster)
            ? ValidateOptionsResult.Fail($"{DevelopmentOptions.SectionName}:EchoCluster: required with EchoUpstream (the cluster pointed at the echo upstream)")
            : ValidateOptionsResult.Success;
}
