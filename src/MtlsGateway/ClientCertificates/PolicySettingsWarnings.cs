namespace MtlsGateway.ClientCertificates;

/// <summary>Start-up warnings about policy settings that are valid but may not do what the operator expects.</summary>
internal static partial class PolicySettingsWarnings
{
    public static void Log(ILogger logger, ClientCertificateOptions options)
    {
        if (options.Policies.Acceptable.Count > 0 && !options.Policies.RequireExplicitPolicy)
        {
            // RFC 5280 6.1.5 (g): the acceptable set only decides when an explicit policy is required.
            LogAcceptableWithoutExplicitPolicy(logger);
        }
    }

    [LoggerMessage(
        EventId = EventIds.CertificatePolicySettingsWarning,
        EventName = nameof(EventIds.CertificatePolicySettingsWarning),
        Level = LogLevel.Warning,
        Message = "Gateway:ClientCertificates:Policies:Acceptable refuses only paths whose CAs require an explicit policy; set Gateway:ClientCertificates:Policies:RequireExplicitPolicy to true to refuse every path not valid for an acceptable policy (RFC 5280 6.1.1)")]
    private static partial void LogAcceptableWithoutExplicitPolicy(ILogger logger);
}
