using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.Validation.Chains;
using static MtlsGateway.TestSupport.Pki.Oids;

namespace MtlsGateway.Tests.Validation.Policies;

/// <summary>What an attacker could put in policy extensions: odd encodings, repeated extensions, oversized values.</summary>
public sealed class CertificatePolicyExtensionsTests : IDisposable
{
    private readonly TestCa root = TestCa.CreateRoot("CN=Hostile Root");

    public void Dispose() => root.Dispose();

    [Theory]
    [InlineData("2B8006", false)] // 1.3 then a subidentifier padded with a leading 0x80: not DER
    [InlineData("2B06", true)] // 1.3.6: the same OID, minimally encoded
    [InlineData("2B8080808006", false)] // padded several times
    public async Task An_oid_with_a_padded_subidentifier_is_malformed(string hex, bool accepted)
    {
        var leaf = root.Issue("CN=odd oid", profile => profile.Extensions.Add(TestExtensions.CertificatePoliciesWithRawOid(Convert.FromHexString(hex))));
        var verdict = await SingleRootValidation.JudgeAsync(root, leaf, []);
        Assert.True(accepted == verdict.Accepted, verdict.Detail);
        if (!accepted)
        {
            Assert.Equal(RefusalReason.Untrusted, verdict.Refusal);
            Assert.Contains("'CN=odd oid': its certificatePolicies extension is malformed", verdict.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_oid_arc_beyond_128_bits_is_refused_and_a_long_legal_arc_is_read()
    {
        // 1.3 followed by one arc of 19 bytes of 7 bits each (133 bits).
        var tooLong = new byte[] { 0x2B }.Concat(Enumerable.Repeat((byte)0xFF, 18)).Append((byte)0x7F).ToArray();
        var refused = await SingleRootValidation.JudgeAsync(root, root.Issue("CN=long arc", profile => profile.Extensions.Add(TestExtensions.CertificatePoliciesWithRawOid(tooLong))), [], Explicit("1.3.6"));
        Assert.Equal(RefusalReason.Untrusted, refused.Refusal);
        Assert.Contains("an object identifier is beyond what can be read", refused.Detail, StringComparison.Ordinal);

        const string longLegal = "2.999999999999999999999999999999";
        using var issuing = root.CreateIntermediate("CN=Long Arc CA", profile => profile.AddPolicies(longLegal));
        var accepted = await SingleRootValidation.JudgeAsync(root, issuing.Issue("CN=long legal", profile => profile.AddPolicies(longLegal)), [issuing], Explicit(longLegal));
        Assert.True(accepted.Accepted, accepted.Detail);
        Assert.Equal([longLegal], accepted.ValidPolicies);
    }

    [Fact]
    public async Task A_repeated_certificatePolicies_extension_is_refused()
    {
        // CertificateRequest refuses to write a repeated extension; RawCertificate writes what it is given.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var raw = new RawCertificate(root.Certificate, key) { SubjectName = new X500DistinguishedName("CN=twice").RawData };
        foreach (var policy in new[] { TestPolicy(1), TestPolicy(2) })
        {
            raw.Extensions.Add(RawCertificate.Extension(Oids.CertificatePolicies, critical: false, TestExtensions.CertificatePolicies([policy]).RawData));
        }

        using var leaf = X509CertificateLoader.LoadCertificate(raw.Encode());
        Assert.Equal(2, leaf.Extensions.Count(extension => extension.Oid?.Value == Oids.CertificatePolicies));
        var verdict = await SingleRootValidation.JudgeAsync(root, leaf, []);
        Assert.Equal(RefusalReason.Untrusted, verdict.Refusal);
        Assert.Contains("'CN=twice': its certificatePolicies extension appears more than once", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_policy_listed_twice_in_one_extension_is_refused()
    {
        var verdict = await SingleRootValidation.JudgeAsync(root, root.Issue("CN=dup policy", profile => profile.AddPolicies(TestPolicy(1), TestPolicy(1))), []);
        Assert.Equal(RefusalReason.Untrusted, verdict.Refusal);
        Assert.Contains($"policy {TestPolicy(1)} is listed twice", verdict.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Oids.PolicyConstraints, "3000")] // policyConstraints: empty sequence
    [InlineData(Oids.PolicyConstraints, "30038001FF")] // requireExplicitPolicy -1
    [InlineData(Oids.PolicyMappings, "3000")] // policyMappings: no pair
    [InlineData(Oids.InhibitAnyPolicy, "020100FF")] // inhibitAnyPolicy: trailing bytes
    [InlineData(Oids.CertificatePolicies, "300330010A")] // certificatePolicies: not an OID
    public async Task Malformed_policy_extensions_on_a_CA_refuse_the_path(string oid, string hex)
    {
        using var issuing = root.CreateIntermediate("CN=Malformed CA", profile => profile.Extensions.Add(new X509Extension(oid, Convert.FromHexString(hex), true)));
        var verdict = await SingleRootValidation.JudgeAsync(root, issuing.Issue("CN=client"), [issuing]);
        Assert.Equal(RefusalReason.Untrusted, verdict.Refusal);
        Assert.StartsWith("certificate policies: 'CN=Malformed CA': its ", verdict.Detail, StringComparison.Ordinal);
        Assert.Contains("extension is malformed", verdict.Detail, StringComparison.Ordinal);
    }

    private static PathValidationPolicy Explicit(string acceptable) => new() { AcceptablePolicies = [acceptable], RequireExplicitPolicy = true };
}
