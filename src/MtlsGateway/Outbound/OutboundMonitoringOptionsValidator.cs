using Microsoft.Extensions.Options;

namespace MtlsGateway.Outbound;

internal sealed class OutboundMonitoringOptionsValidator : IValidateOptions<OutboundMonitoringOptions>
{
    public ValidateOptionsResult Validate(string? name, OutboundMonitoringOptions options)
    {
        var failures = new List<string>();
        if (options.OutboundIdentityProbeInterval <= TimeSpan.Zero)
        {
            failures.Add($"Gateway:{nameof(options.OutboundIdentityProbeInterval)}: must be positive");
        }

        if (options.OutboundIdentitySigningCheckInterval < TimeSpan.Zero)
        {
            failures.Add($"Gateway:{nameof(options.OutboundIdentitySigningCheckInterval)}: must not be negative (00:00:00 turns the check off)");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
