using MtlsGateway.TestSupport.Pki;
using MtlsGateway.Validation.Chains;
using static MtlsGateway.TestSupport.Pki.PolicyExtensions;

namespace MtlsGateway.Tests.Validation.Policies;

/// <summary>What an attacker could put in policy extensions: odd encodings, repeated extensions, oversized values.</summary>
public sealed class CertificatePolicyExtensionsTests : IDisposable
{
    private readonly HandBuiltCa root = HandBuiltCa.Root("CN=Hostile Root");

    public void Dispose() => root.Dispose();

    [Theory]
    [InlineData("2B8006", false)] // 1.3 then a subidentifier padded with a leading 0x80: not DER
    [InlineData("2B06", true)] // 1.3.6: the same OID, minimally encoded
    [InlineData("2B8080808006", false)] // padded several times
    public async Task An_oid_with_a_padded_subidentifier_is_malformed(string hex, bool accepted)
    {
        var leaf = root.Leaf("CN=odd oid", extensions: CertificatePoliciesWithRawOid(Convert.FromHexString(hex)));
        var verdict = await HandBuiltPaths.JudgeAsync(root, leaf, []);
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
        var refused = await HandBuiltPaths.JudgeAsync(root, root.Leaf("CN=long arc", extensions: CertificatePoliciesWithRawOid(tooLong)), [], Explicit("1.3.6"));
        Assert.Equal(RefusalReason.Untrusted, refused.Refusal);
        Assert.Contains("an object identifier is beyond what can be read", refused.Detail, StringComparison.Ordinal);

        const string longLegal = "2.999999999999999999999999999999";
        using var issuing = root.Intermediate("CN=Long Arc CA", extensions: CertificatePolicies(longLegal));
        var accepted = await HandBuiltPaths.JudgeAsync(root, issuing.Leaf("CN=long legal", extensions: CertificatePolicies(longLegal)), [issuing], Explicit(longLegal));
        Assert.True(accepted.Accepted, accepted.Detail);
        Assert.Equal([longLegal], accepted.ValidPolicies);
    }

    [Fact]
    public async Task A_repeated_certificatePolicies_extension_is_refused()
    {
        // CertificateRequest refuses to write a repeated extension, so the second one is written under a placeholder
        // OID of the same length (2.5.29.99) and renamed in the signed bytes.
        var leaf = root.LeafWithEditedTbs(
            "CN=twice",
            tbs => Replace(tbs, [0x06, 0x03, 0x55, 0x1D, 0x63], [0x06, 0x03, 0x55, 0x1D, 0x20]),
            CertificatePolicies(TestPolicy(1)),
            new System.Security.Cryptography.X509Certificates.X509Extension("2.5.29.99", CertificatePolicies(TestPolicy(2)).RawData, false));
        Assert.Equal(2, leaf.Extensions.Count(extension => extension.Oid?.Value == "2.5.29.32"));
        var verdict = await HandBuiltPaths.JudgeAsync(root, leaf, []);
        Assert.Equal(RefusalReason.Untrusted, verdict.Refusal);
        Assert.Contains("'CN=twice': its certificatePolicies extension appears more than once", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_policy_listed_twice_in_one_extension_is_refused()
    {
        var verdict = await HandBuiltPaths.JudgeAsync(root, root.Leaf("CN=dup policy", extensions: CertificatePolicies(TestPolicy(1), TestPolicy(1))), []);
        Assert.Equal(RefusalReason.Untrusted, verdict.Refusal);
        Assert.Contains($"policy {TestPolicy(1)} is listed twice", verdict.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2.5.29.36", "3000")] // policyConstraints: empty sequence
    [InlineData("2.5.29.36", "30038001FF")] // requireExplicitPolicy -1
    [InlineData("2.5.29.33", "3000")] // policyMappings: no pair
    [InlineData("2.5.29.54", "020100FF")] // inhibitAnyPolicy: trailing bytes
    [InlineData("2.5.29.32", "300330010A")] // certificatePolicies: not an OID
    public async Task Malformed_policy_extensions_on_a_CA_refuse_the_path(string oid, string hex)
    {
        using var issuing = root.Intermediate("CN=Malformed CA", extensions: new System.Security.Cryptography.X509Certificates.X509Extension(oid, Convert.FromHexString(hex), true));
        var verdict = await HandBuiltPaths.JudgeAsync(root, issuing.Leaf("CN=client"), [issuing]);
        Assert.Equal(RefusalReason.Untrusted, verdict.Refusal);
        Assert.StartsWith("certificate policies: 'CN=Malformed CA': its ", verdict.Detail, StringComparison.Ordinal);
        Assert.Contains("extension is malformed", verdict.Detail, StringComparison.Ordinal);
    }

    private static PathValidationPolicy Explicit(string acceptable) => new() { AcceptablePolicies = [acceptable], RequireExplicitPolicy = true };

    private static byte[] Replace(byte[] data, byte[] find, byte[] replacement)
    {
        var at = data.AsSpan().IndexOf(find);
        Assert.True(at >= 0, "placeholder not found");
        var copy = data.ToArray();
        replacement.CopyTo(copy, at);
        return copy;
    }
}
