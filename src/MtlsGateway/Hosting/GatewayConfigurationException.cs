namespace MtlsGateway.Hosting;

/// <summary>A setting the gateway cannot run with. The message is one line: the configuration key, then the problem.</summary>
public sealed class GatewayConfigurationException : Exception
{
    public GatewayConfigurationException(string key, string problem)
        : base($"{key}: {problem}")
    {
        Key = key;
    }

    public GatewayConfigurationException(string key, string problem, Exception innerException)
        : base($"{key}: {problem}", innerException)
    {
        Key = key;
    }

    public string Key { get; }
}
