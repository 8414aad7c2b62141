using MtlsGateway.Validation.Policies;

namespace MtlsGateway.Tests.Validation.Policies;

public sealed class ObjectIdentifiersTests
{
    [Theory]
    [InlineData("2.16.840.1.101.3.2.1.48.1")]
    [InlineData("2.5.29.32.0")]
    [InlineData("1.39")]
    [InlineData("2.999999999999999999999999999999")]
    [InlineData("1.2.340282366920938463463374607431768211455")] // an arc of 2^128 - 1
    public void Canonical_dotted_oids_are_accepted(string oid) => Assert.Null(ObjectIdentifiers.Problem(oid));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("2", "at least two arcs")]
    [InlineData("2.16.840.01", "leading zero")]
    [InlineData("02.5", "leading zero")]
    [InlineData("2..5", "decimal numbers separated by single dots")]
    [InlineData(" 2.5", "decimal numbers separated by single dots")]
    [InlineData("2.5.+1", "decimal numbers separated by single dots")]
    [InlineData("2.5.٣", "decimal numbers separated by single dots")] // an Arabic-Indic digit
    [InlineData("3.1", "first arc")]
    [InlineData("1.40", "second arc is below 40")]
    [InlineData("1.2.340282366920938463463374607431768211456", "beyond what certificates are read with")] // an arc of 2^128
    public void Anything_else_is_refused_with_a_reason(string oid, string expected)
    {
        var problem = ObjectIdentifiers.Problem(oid);
        Assert.NotNull(problem);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_64_arcs_are_refused() =>
        Assert.Contains("beyond what certificates are read with", ObjectIdentifiers.Problem("1.2." + string.Join('.', Enumerable.Repeat("1", 63))), StringComparison.Ordinal);
}
