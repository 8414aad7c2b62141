using MtlsGateway.Validation.Identity;

namespace MtlsGateway.Tests.Validation.Identity;

/// <summary>
/// The rule values of authorization policies: what matches, what must not, including the look-alikes an attacker
/// would put into a certificate (a letter more, a trailing dot or newline, an embedded NUL, an extra label).
/// </summary>
public sealed class ValuePatternTests
{
    [Theory]
    [InlineData("alice", "alice", true)]
    [InlineData("alice", "Alice", false)]
    [InlineData("alice", "ALICE", false)]
    [InlineData("alice", "alice2", false)]
    [InlineData("alice", "xalice", false)]
    [InlineData("alice", "alice ", false)]
    [InlineData("alice", " alice", false)]
    [InlineData("alice", "alice.", false)]
    [InlineData("alice", "alice\n", false)]
    [InlineData("alice", "alice\r\n", false)]
    [InlineData("alice", "\nalice", false)]
    [InlineData("alice", "alice\0", false)]
    [InlineData("alice", "alice\0admin", false)]
    [InlineData("alice", "", false)]
    [InlineData("", "", true)]
    [InlineData("", "alice", false)]
    [InlineData("svc-*", "svc-orders", true)]
    [InlineData("svc-*", "svc-", true)]
    [InlineData("svc-*", "svc", false)]
    [InlineData("svc-*", "SVC-orders", false)]
    [InlineData("svc-*", "orders-svc", false)]
    [InlineData("svc-*", "xsvc-orders", false)]
    [InlineData("*-svc", "orders-svc", true)]
    [InlineData("*-svc", "orders-svc\n", false)]
    [InlineData("a*z", "az", true)]
    [InlineData("a*z", "a.b/c z", true)]
    [InlineData("a*z", "a-z-", false)]
    [InlineData("*", "", true)]
    [InlineData("*", "anything at all", true)]
    [InlineData("a.b", "a.b", true)]
    [InlineData("a.b", "axb", false)]
    [InlineData("a+b", "a+b", true)]
    [InlineData("a+b", "aab", false)]
    [InlineData("(x)|y", "y", false)]
    [InlineData("(x)|y", "(x)|y", true)]
    [InlineData("[ab]", "a", false)]
    [InlineData("^alice$", "alice", false)]
    [InlineData("spiffe://example.org/ns/payments/*", "spiffe://example.org/ns/payments/sa/api", true)]
    [InlineData("spiffe://example.org/ns/payments/*", "spiffe://example.org/ns/payments", false)]
    [InlineData("spiffe://example.org/ns/payments/*", "spiffe://example.org/ns/paymentsX/sa/api", false)]
    [InlineData("spiffe://example.org/ns/payments/*", "spiffe://example.org.attacker.example/ns/payments/sa/api", false)]
    [InlineData("spiffe://example.org/ns/payments/*", "spiffe://example.org/ns/Payments/sa/api", false)]
    [InlineData("spiffe://example.org/ns/payments/*", "SPIFFE://example.org/ns/payments/sa/api", false)]
    public void Glob_is_literal_and_case_sensitive_with_star_for_any_run(string pattern, string value, bool matches) =>
        Assert.Equal(matches, ValuePattern.Glob(pattern).Matches(value));

    [Theory]
    [InlineData("ops@example.org", "ops@example.org", true)]
    [InlineData("ops@example.org", "OPS@EXAMPLE.ORG", true)]
    [InlineData("ops@example.org", "Ops@Example.Org", true)]
    [InlineData("ops@example.org", "ops@example.org.attacker.example", false)]
    [InlineData("ops@example.org", "xops@example.org", false)]
    [InlineData("ops@example.org", "ops@example.org\n", false)]
    [InlineData("ops@example.org", "ops@example.org\0", false)]
    [InlineData("ops@example.org", "ops@exampleXorg", false)]
    [InlineData("ops@example.org", "", false)]
    [InlineData("*@example.org", "dev@example.org", true)]
    [InlineData("*@example.org", "dev@EXAMPLE.org", true)]
    [InlineData("*@example.org", "dev@example.org.attacker.example", false)]
    [InlineData("0a:bc*", "0A:BCDE", true)]
    public void GlobIgnoreCase_differs_from_Glob_only_in_letter_case(string pattern, string value, bool matches) =>
        Assert.Equal(matches, ValuePattern.GlobIgnoreCase(pattern).Matches(value));

    [Theory]
    [InlineData("api.svc.example", "api.svc.example", true)]
    [InlineData("api.svc.example", "API.SVC.EXAMPLE", true)]
    [InlineData("api.svc.example", "api.svc.example.", true)]
    [InlineData("api.svc.example", "api.svc.example..", false)]
    [InlineData("api.svc.example", ".api.svc.example", false)]
    [InlineData("api.svc.example", "xapi.svc.example", false)]
    [InlineData("api.svc.example", "api.svc.examplex", false)]
    [InlineData("api.svc.example", "api-svc.example", false)]
    [InlineData("api.svc.example", "apixsvc.example", false)]
    [InlineData("api.svc.example", "api.svc.example.attacker.example", false)]
    [InlineData("api.svc.example", "attacker.example.api.svc.example", false)]
    [InlineData("api.svc.example", "api.svc.example\0.attacker.example", false)]
    [InlineData("api.svc.example", "api.svc.example\n", false)]
    [InlineData("api.svc.example", "api.svc.example ", false)]
    [InlineData("api.svc.example", "", false)]
    [InlineData("api.svc.example.", "api.svc.example", true)]
    [InlineData("*.svc.example", "api.svc.example", true)]
    [InlineData("*.svc.example", "API.svc.EXAMPLE", true)]
    [InlineData("*.svc.example", "api.svc.example.", true)]
    [InlineData("*.svc.example", "a.b.svc.example", false)]
    [InlineData("*.svc.example", "svc.example", false)]
    [InlineData("*.svc.example", ".svc.example", false)]
    [InlineData("*.svc.example", "api.svc.example.attacker.example", false)]
    [InlineData("*.svc.example", "api.svc.example\0.attacker.example", false)]
    [InlineData("*.svc.example", "api.svc.example\n", false)]
    [InlineData("*.svc.example", "apisvc.example", false)]
    [InlineData("*.svc.example", "api.svcxexample", false)]
    [InlineData("*.*.example", "a.b.example", true)]
    [InlineData("*.*.example", "a.example", false)]
    public void DnsName_ignores_case_allows_one_trailing_dot_and_star_is_one_whole_label(string pattern, string value, bool matches) =>
        Assert.Equal(matches, ValuePattern.DnsName(pattern).Matches(value));

    [Theory]
    [InlineData("a*.example.com")]
    [InlineData("*a.example.com")]
    [InlineData("api.*x.example")]
    [InlineData("**.example.com")]
    public void DnsName_refuses_a_star_that_is_not_a_whole_label(string pattern)
    {
        var error = Assert.Throws<ArgumentException>(() => ValuePattern.DnsName(pattern));

        Assert.Contains("'*' must be a whole label", error.Message, StringComparison.Ordinal);
    }
}
