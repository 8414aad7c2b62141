using MtlsGateway.RequestScreening;

namespace MtlsGateway.Tests.Gateway.RequestScreening;

public sealed class RequestTargetRulesTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/pay/x")]
    [InlineData("/pay/x/")]
    [InlineData("/pay/a%20b")]
    [InlineData("/pay/%41%7e%2D%5F%2E")]
    [InlineData("/pay/.json")]
    [InlineData("/pay/x.")]
    [InlineData("/pay/...")]
    [InlineData("/pay/100%25")]
    [InlineData("/pay/%25zz")]
    [InlineData("/pay/caf%C3%A9")]
    [InlineData("/pay/%F0%9F%92%B3")]
    [InlineData("/pay/a+b,c=d:e@f!$&'()*~")]
    [InlineData("/x?a=//b%2F..%5C;c&d=%252F|{}\"^")]
    [InlineData("/x?")]
    [InlineData("https://host:8443/pay/x?q=1")]
    [InlineData("HTTP://host")]
    [InlineData("http://host?q")]
    public void Targets_with_one_reading_pass(string target) => Assert.Null(RequestTargetRules.Judge(target));

    [Theory]
    [InlineData("", PathAmbiguity.NotOriginForm)]
    [InlineData("*", PathAmbiguity.NotOriginForm)]
    [InlineData("pay/x", PathAmbiguity.NotOriginForm)]
    [InlineData("host:443", PathAmbiguity.NotOriginForm)]
    [InlineData("ftp://host/pay", PathAmbiguity.NotOriginForm)]
    [InlineData("https:///pay/x", PathAmbiguity.NotOriginForm)]
    [InlineData("/pay/x#", PathAmbiguity.Fragment)]
    [InlineData("/x?a#b", PathAmbiguity.Fragment)]
    [InlineData("//pay/x", PathAmbiguity.EmptySegment)]
    [InlineData("/pay//x", PathAmbiguity.EmptySegment)]
    [InlineData("/pay/x//", PathAmbiguity.EmptySegment)]
    [InlineData("https://host//pay/x", PathAmbiguity.EmptySegment)]
    [InlineData("/.", PathAmbiguity.DotSegment)]
    [InlineData("/..", PathAmbiguity.DotSegment)]
    [InlineData("/pay/./x", PathAmbiguity.DotSegment)]
    [InlineData("/%2e%2E/pay", PathAmbiguity.DotSegment)]
    [InlineData("/.%2e/pay", PathAmbiguity.DotSegment)]
    [InlineData("/%2E./pay", PathAmbiguity.DotSegment)]
    [InlineData("/%2f", PathAmbiguity.EncodedSeparator)]
    [InlineData("/a%5Cb", PathAmbiguity.EncodedSeparator)]
    [InlineData("/a\\b", PathAmbiguity.Backslash)]
    [InlineData("/a;b", PathAmbiguity.PathParameter)]
    [InlineData("/a%3bb", PathAmbiguity.PathParameter)]
    [InlineData("/a%3Fb", PathAmbiguity.EncodedDelimiter)]
    [InlineData("/a%23b", PathAmbiguity.EncodedDelimiter)]
    [InlineData("/a%00", PathAmbiguity.ControlCharacter)]
    [InlineData("/a%0d%0aX:1", PathAmbiguity.ControlCharacter)]
    [InlineData("/a\u007f", PathAmbiguity.ControlCharacter)]
    [InlineData("/a\tb", PathAmbiguity.ControlCharacter)]
    [InlineData("/x?a=\u0001", PathAmbiguity.ControlCharacter)]
    [InlineData("/a b", PathAmbiguity.InvalidCharacter)]
    [InlineData("/caf\u00e9", PathAmbiguity.InvalidCharacter)]
    [InlineData("/a|b", PathAmbiguity.InvalidCharacter)]
    [InlineData("/x?a b", PathAmbiguity.InvalidCharacter)]
    [InlineData("/x?caf\u00e9", PathAmbiguity.InvalidCharacter)]
    [InlineData("/a%", PathAmbiguity.MalformedEscape)]
    [InlineData("/a%4", PathAmbiguity.MalformedEscape)]
    [InlineData("/a%G0", PathAmbiguity.MalformedEscape)]
    [InlineData("/%u002f", PathAmbiguity.MalformedEscape)]
    [InlineData("/%252f", PathAmbiguity.DoubleEncoding)]
    [InlineData("/%25%32%66", PathAmbiguity.DoubleEncoding)]
    [InlineData("/a%2525", PathAmbiguity.DoubleEncoding)]
    [InlineData("/%C0%AF", PathAmbiguity.InvalidUtf8)]
    [InlineData("/%C0%AE", PathAmbiguity.InvalidUtf8)]
    [InlineData("/%E0%80%AF", PathAmbiguity.InvalidUtf8)]
    [InlineData("/%F0%80%80%AF", PathAmbiguity.InvalidUtf8)]
    [InlineData("/%ED%A0%80", PathAmbiguity.InvalidUtf8)]
    [InlineData("/%C3", PathAmbiguity.InvalidUtf8)]
    [InlineData("/%FF", PathAmbiguity.InvalidUtf8)]
    [InlineData("/%EF%BC%8F", PathAmbiguity.LookalikeCharacter)]
    [InlineData("/%EF%BC%BC", PathAmbiguity.LookalikeCharacter)]
    [InlineData("/%EF%BC%8E%EF%BC%8E", PathAmbiguity.LookalikeCharacter)]
    [InlineData("/%E2%88%95", PathAmbiguity.LookalikeCharacter)]
    [InlineData("/%CD%BE", PathAmbiguity.LookalikeCharacter)]
    [InlineData("/%E2%80%A5", PathAmbiguity.LookalikeCharacter)]
    public void Ambiguous_targets_are_named(string target, PathAmbiguity expected) => Assert.Equal(expected, RequestTargetRules.Judge(target));

    [Fact]
    public void The_first_ambiguity_from_the_left_is_the_one_reported()
    {
        Assert.Equal(PathAmbiguity.EmptySegment, RequestTargetRules.Judge("//pay/x%00"));
        Assert.Equal(PathAmbiguity.EncodedSeparator, RequestTargetRules.Judge("/x/..%2Fpay"));
        Assert.Equal(PathAmbiguity.PathParameter, RequestTargetRules.Judge("/pay/..;/x"));
        Assert.Equal(PathAmbiguity.Fragment, RequestTargetRules.Judge("//pay#"));
    }

    [Fact]
    public void Long_paths_are_judged_past_the_stack_buffer()
    {
        var segment = new string('a', 300);
        Assert.Null(RequestTargetRules.Judge($"/{segment}/{segment}/{segment}"));
        Assert.Equal(PathAmbiguity.DotSegment, RequestTargetRules.Judge($"/{segment}/{segment}/%2e%2e/{segment}"));
        Assert.Equal(PathAmbiguity.DoubleEncoding, RequestTargetRules.Judge($"/{segment}{segment}%252F"));
    }

    [Fact]
    public void Every_ambiguity_has_a_code_and_a_sentence()
    {
        var codes = Enum.GetValues<PathAmbiguity>().Select(a => a.ToCode()).ToList();
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, code => Assert.Matches("^[a-z0-9-]+$", code));
        Assert.All(Enum.GetValues<PathAmbiguity>(), a => Assert.False(string.IsNullOrWhiteSpace(a.Describe())));
    }
}
