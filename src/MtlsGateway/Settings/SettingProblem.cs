namespace MtlsGateway.Settings;

/// <summary>An unknown or misshapen configuration key, and what is wrong with it.</summary>
internal sealed record SettingProblem(string Key, string Problem)
{
    public override string ToString() => $"{Key}: {Problem}";
}
