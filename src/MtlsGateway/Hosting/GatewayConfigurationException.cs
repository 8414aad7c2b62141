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

    private GatewayConfigurationException(string key, string message, Exception innerException, bool messageNamesKeys)
        : base(messageNamesKeys ? message : $"{key}: {message}", innerException)
    {
        Key = key;
    }

    public string Key { get; }

    /// <summary>For validation failures that each already start with their own full key.</summary>
    public static GatewayConfigurationException ForFailures(string section, IEnumerable<string> failures, Exception innerException) =>
        new(section, string.Join("; ", failures), innerException, messageNamesKeys: true);
}
