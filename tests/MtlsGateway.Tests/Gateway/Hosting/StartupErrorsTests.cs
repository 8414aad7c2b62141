using MtlsGateway.Hosting;
using MtlsGateway.Telemetry;

namespace MtlsGateway.Tests.Gateway.Hosting;

public sealed class StartupErrorsTests
{
    [Fact]
    public void Finds_the_configuration_error_inside_wrapping_exceptions()
    {
        var inner = new GatewayConfigurationException("ReverseProxy:Clusters:a:Metadata:OutboundIdentity", "no outbound identity named 'card'");
        var wrapped = new InvalidOperationException("Unable to load or apply the proxy configuration.", new AggregateException(inner));
        Assert.Equal("ReverseProxy:Clusters:a:Metadata:OutboundIdentity: no outbound identity named 'card'", StartupErrors.Describe(wrapped));
    }

    [Fact]
    public void Summarizes_other_exceptions_on_one_line_without_a_stack_trace()
    {
        Exception thrown;
        try
        {
            throw new InvalidOperationException("outer\nsecond line", new FormatException("inner"));
        }
        catch (InvalidOperationException e)
        {
            thrown = e;
        }

        var line = OneLineConsoleFormatter.Summarize(thrown);
        Assert.Equal("InvalidOperationException: outer second line <- FormatException: inner", line);
    }
}
