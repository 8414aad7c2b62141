using MtlsGateway.RequestScreening;

namespace MtlsGateway.Tests.Gateway.RequestScreening;

public sealed class RequestHeaderOptionsValidatorTests
{
    [Theory]
    [InlineData("X-Partner-Identity")]
    [InlineData("X-Partner-*")]
    [InlineData("x_odd.name!#$%&'^`|~")]
    public void Header_names_and_trailing_wildcards_are_accepted(string entry) => Assert.True(Validate(entry).Succeeded);

    [Theory]
    [InlineData("")]
    [InlineData("*")]
    [InlineData("X-*-Cert")]
    [InlineData("X-Cert**")]
    [InlineData("X Cert")]
    [InlineData("X-Cert:")]
    [InlineData("X-Cert\u00e9")]
    [InlineData("(X-Cert)")]
    public void Anything_else_is_refused_naming_the_entry(string entry)
    {
        var result = Validate(entry);
        Assert.True(result.Failed);
        Assert.Equal($"Gateway:ClientIdentityHeaders:1: '{entry}' is not a header name, nor a header name prefix followed by one '*'", Assert.Single(result.Failures!));
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(string entry)
    {
        var options = new RequestHeaderOptions();
        options.ClientIdentityHeaders.Add("X-Valid");
        options.ClientIdentityHeaders.Add(entry);
        return new RequestHeaderOptionsValidator().Validate(null, options);
    }
}
