using System.Text;
using MtlsGateway.Hosting;
using MtlsGateway.Outbound;

namespace MtlsGateway.Tests.Gateway.Outbound;

/// <summary>
/// How the PIN is read from a real file or variable: one trailing newline dropped, nothing else touched, never echoed;
/// a missing, unreadable, empty or oversized source is refused naming the setting.
/// </summary>
public sealed class PinSourceTests : IDisposable
{
    private const string Key = "Gateway:OutboundIdentities:card:Pkcs11:PinFile";

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

    [Fact]
    public void Missing_PIN_file_is_refused_naming_the_key()
    {
        var path = Path.Combine(folder, "no-such.pin");

        var error = Assert.Throws<GatewayConfigurationException>(new PinSource(Key, path, null).Read);

        Assert.Equal(Key, error.Key);
        Assert.Contains($"PIN file '{path}' cannot be read (FileNotFoundException)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PIN_file_that_cannot_be_read_is_refused_naming_the_key()
    {
        // A directory where the file should be: unreadable as a file for every user, root included.
        var path = Directory.CreateDirectory(Path.Combine(folder, "a-directory.pin")).FullName;

        var error = Assert.Throws<GatewayConfigurationException>(new PinSource(Key, path, null).Read);

        Assert.Equal(Key, error.Key);
        Assert.Contains($"PIN file '{path}' cannot be read (UnauthorizedAccessException)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PinSource.MaxPinBytes + 1)]
    [InlineData(64 * 1024)]
    public void Oversized_PIN_file_is_refused_without_its_content_in_the_message(int size)
    {
        var content = new string('7', size - 10) + "SECRETTAIL";
        var path = Write(content);

        var error = Assert.Throws<GatewayConfigurationException>(new PinSource(Key, path, null).Read);

        Assert.Equal($"{Key}: PIN file '{path}' holds more than {PinSource.MaxPinBytes} bytes: not a PIN", error.Message);
        Assert.DoesNotContain("777", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Endless_PIN_file_is_refused_after_reading_a_few_hundred_bytes()
    {
        var error = Assert.Throws<GatewayConfigurationException>(new PinSource(Key, "/dev/zero", null).Read);

        Assert.Contains($"holds more than {PinSource.MaxPinBytes} bytes: not a PIN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Longest_accepted_PIN_is_read_whole_with_its_newline_dropped()
    {
        var pin = new string('8', PinSource.MaxPinBytes);

        Assert.Equal(pin, Encoding.UTF8.GetString(new PinSource(Key, Write(pin + "\r\n"), null).Read()));
    }

    [Fact]
    public void Oversized_PIN_in_an_environment_variable_is_refused()
    {
        Environment.SetEnvironmentVariable("MTLSGW_TEST_PIN_OVERSIZED", new string('9', PinSource.MaxPinBytes + 1));
        var source = new PinSource("Gateway:OutboundIdentities:card:Pkcs11:PinEnvironmentVariable", null, "MTLSGW_TEST_PIN_OVERSIZED");

        var error = Assert.Throws<GatewayConfigurationException>(source.Read);

        Assert.EndsWith($"environment variable 'MTLSGW_TEST_PIN_OVERSIZED' holds more than {PinSource.MaxPinBytes} bytes: not a PIN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unset_or_empty_environment_variable_is_refused()
    {
        Environment.SetEnvironmentVariable("MTLSGW_TEST_PIN_EMPTY", "\n");
        var key = "Gateway:OutboundIdentities:card:Pkcs11:PinEnvironmentVariable";

        var unset = Assert.Throws<GatewayConfigurationException>(new PinSource(key, null, "MTLSGW_TEST_PIN_NEVER_SET").Read);
        var empty = Assert.Throws<GatewayConfigurationException>(new PinSource(key, null, "MTLSGW_TEST_PIN_EMPTY").Read);

        Assert.EndsWith("environment variable 'MTLSGW_TEST_PIN_NEVER_SET' is not set", unset.Message, StringComparison.Ordinal);
        Assert.EndsWith("environment variable 'MTLSGW_TEST_PIN_EMPTY' is empty", empty.Message, StringComparison.Ordinal);
    }

    private string Write(string content)
    {
        var path = Path.Combine(folder, Guid.NewGuid().ToString("n"));
        File.WriteAllText(path, content);
        return path;
    }
}
