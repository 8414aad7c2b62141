using MtlsGateway.RequestScreening;

namespace MtlsGateway.Tests.Gateway.RequestScreening;

public sealed class LoggedTargetTests
{
    [Theory]
    [InlineData("/pay/x?q=%2F", "/pay/x?q=%2F")]
    [InlineData("/pay/\r\nX-Forged: 1", "/pay/%0D%0AX-Forged: 1")]
    [InlineData("/pay/\u007f\u0000", "/pay/%7F%00")]
    [InlineData("/caf\u00e9/\u202e", "/caf%C3%A9/%E2%80%AE")]
    [InlineData("/\ud83d\udcb3", "/%F0%9F%92%B3")]
    public void Only_printable_ASCII_is_logged_as_is(string target, string logged) => Assert.Equal(logged, LoggedTarget.Of(target));

    [Fact]
    public void Long_targets_are_cut_and_marked()
    {
        var logged = LoggedTarget.Of("/" + new string('a', 2000));
        Assert.Equal(LoggedTarget.MaxLength + 3, logged.Length);
        Assert.EndsWith("...", logged, StringComparison.Ordinal);
        Assert.Equal("/" + new string('a', 511), LoggedTarget.Of("/" + new string('a', 511)));
    }
}
