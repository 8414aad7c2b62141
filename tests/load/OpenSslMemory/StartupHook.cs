using MtlsGateway.OpenSslMemory;

/// <summary>
/// The runtime calls <see cref="Initialize"/> before the application's Main when this assembly is named in
/// DOTNET_STARTUP_HOOKS. The type has to be called StartupHook and live outside any namespace.
/// </summary>
internal static class StartupHook
{
    public static void Initialize() => OpenSslMemoryReport.StartInBackground(
        Environment.GetEnvironmentVariable(OpenSslMemoryReport.FileVariable) is { Length: > 0 } path ? path : OpenSslMemoryReport.DefaultFile);
}
