namespace MtlsGateway.Admin;

/// <summary>One part's answer to "can the gateway serve traffic?".</summary>
public sealed record ReadinessResult(bool Ready, string? Detail = null)
{
    public static ReadinessResult Usable(string? detail = null) => new(true, detail);

    public static ReadinessResult Unusable(string detail) => new(false, detail);
}
