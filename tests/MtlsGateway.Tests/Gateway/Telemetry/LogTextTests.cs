using MtlsGateway.Telemetry;

namespace MtlsGateway.Tests.Gateway.Telemetry;

public sealed class LogTextTests
{
    [Theory]
    [InlineData("CN=a\u001b[31mred\u001b[0m", "CN=a\\u001B[31mred\\u001B[0m")]
    [InlineData("alice\r\n2026-01-01T00:00:00.000Z info forged: accepted", "alice\\r\\n2026-01-01T00:00:00.000Z info forged: accepted")]
    [InlineData("tab\there", "tab\\there")]
    [InlineData("nul\0bell\a", "nul\\u0000bell\\u0007")]
    [InlineData("del\u007f c1\u009b[2J", "del\\u007F c1\\u009B[2J")]
    [InlineData("line\u2028para\u2029", "line\\u2028para\\u2029")]
    [InlineData("admin\u202Egpj.exe", "admin\\u202Egpj.exe")]
    [InlineData("isolate\u2066x\u2069 mark\u200F", "isolate\\u2066x\\u2069 mark\\u200F")]
    public void Control_characters_are_written_as_visible_escapes(string text, string expected) =>
        Assert.Equal(expected, LogText.Escape(text));

    [Fact]
    public void A_surrogate_half_outside_a_pair_is_escaped_and_a_pair_is_kept()
    {
        // Built in code: an attribute's string cannot hold a lone surrogate.
        var text = "lone " + (char)0xD800 + " low " + (char)0xDC00 + " end " + (char)0xD83D;
        Assert.Equal("lone \\uD800 low \\uDC00 end \\uD83D", LogText.Escape(text));
    }

    [Theory]
    [InlineData("CN=Zoë Müller, O=Bänk, C=DE")]
    [InlineData("CN=日本語")]
    [InlineData("CN=emoji \U0001F512 pair")]
    [InlineData("path C:\\not\\escaped and 'quotes'")]
    [InlineData("")]
    public void Printable_text_is_kept_as_it_is(string text) =>
        Assert.Same(text, LogText.Escape(text));
}
