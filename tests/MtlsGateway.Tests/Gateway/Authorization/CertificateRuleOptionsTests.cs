using System.Reflection;
using MtlsGateway.Authorization;
using MtlsGateway.Validation.Identity;

namespace MtlsGateway.Tests.Gateway.Authorization;

/// <summary>
/// The configuration keys of a rule are the properties of <see cref="CertificateRuleOptions"/> (unknown keys are
/// refused by them), and the fields a rule can match are <see cref="CertificateRule.FieldNames"/>: the two must agree,
/// or a documented field is refused as unknown, or a configured one is silently dropped.
/// </summary>
public sealed class CertificateRuleOptionsTests
{
    [Fact]
    public void Every_rule_field_is_a_configuration_key_and_nothing_else_is()
    {
        var keys = typeof(CertificateRuleOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name);

        Assert.Equal(CertificateRule.FieldNames.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_configured_field_reaches_the_rule()
    {
        var options = new CertificateRuleOptions();
        foreach (var property in typeof(CertificateRuleOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            ((List<string>)property.GetValue(options)!).Add(property.Name == nameof(CertificateRuleOptions.CertificatePolicies) ? "1.2.3.4" : "x");
        }

        Assert.Equal(CertificateRule.FieldNames.Order(StringComparer.Ordinal), options.Fields().Keys.Order(StringComparer.Ordinal));
    }
}
