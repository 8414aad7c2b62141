using System.Text;
using MtlsGateway.Hosting;
using MtlsGateway.Outbound;

namespace MtlsGateway.Tests.Gateway.Outbound;

/// <summary>How the PIN is read from a real file: one trailing newline dropped, nothing else touched, never echoed.</summary>
public sealed class PinSourceTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("mtlsgw-pin-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData("4711\n", "4711")]
    [InlineData("4711\r\n", "4711")]
    [InlineData("4711", "4711")]
    [InlineData("4711\n\n", "4711\n")]
    [InlineData(" 4711 \n", " 4711 ")]
    public void One_trailing_newline_is_dropped_and_nothing_else(string content, string expected)
    {
        var source = new PinSource("Gateway:OutboundIdentities:card:Pkcs11:PinFile", Write(content), null);

        var pin = source.Read();

        Assert.Equal(expected, Encoding.UTF8.GetString(pin));
    }

    [Fact]
    public void Empty_PIN_file_is_refused_naming_the_key()
    {
        var source = new PinSource("Gateway:OutboundIdentities:card:Pkcs11:PinFile", Write("\n"), null);

        var error = Assert.Throws<GatewayConfigurationException>(source.Read);

        Assert.Equal("Gateway:OutboundIdentities:card:Pkcs11:PinFile", error.Key);
        Assert.EndsWith("is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PIN_from_an_environment_variable_is_read_without_its_trailing_newline()
    {
        Environment.SetEnvironmentVariable("MTLSGW_TEST_PIN_SOURCE", "s3cret-pin\n");
        var source = new PinSource("Gateway:OutboundIdentities:card:Pkcs11:PinEnvironmentVariable", null, "MTLSGW_TEST_PIN_SOURCE");

        Assert.Equal("s3cret-pin", Encoding.UTF8.GetString(source.Read()));
    }

    private string Write(string content)
    {
        var path = Path.Combine(folder, Guid.NewGuid().ToString("n"));
        File.WriteAllText(path, content);
        return path;
    }
}
