using MtlsGateway.TestSupport.Pki;
using MtlsGateway.Validation.Chains;
using static MtlsGateway.TestSupport.Pki.PolicyExtensions;

namespace MtlsGateway.Tests.Validation.Policies;

/// <summary>RFC 5280 6.1 policy processing on hand-built paths, through the validator the gateway uses.</summary>
public sealed class PolicyProcessingTests : IDisposable
{
    private static readonly string P1 = TestPolicy(1);
    private static readonly string P2 = TestPolicy(2);
    private static readonly string P3 = TestPolicy(3);

    private readonly HandBuiltCa root = HandBuiltCa.Root("CN=Policy Root");

    public void Dispose() => root.Dispose();

    [Fact]
    public async Task A_path_valid_for_the_acceptable_policy_is_accepted_and_carries_its_valid_policies()
    {
        using var issuing = root.Intermediate("CN=Issuing P1", extensions: CertificatePolicies(P1, P2));
        var leaf = issuing.Leaf("CN=client", extensions: CertificatePolicies(P1));
        var verdict = await HandBuiltPaths.JudgeAsync(root, leaf, [issuing], Explicit(P1));
        Assert.True(verdict.Accepted, verdict.Detail);
        Assert.Equal([P1], verdict.ValidPolicies);
        Assert.True(verdict.IsValidForPolicy(P1));
        Assert.False(verdict.IsValidForPolicy(P2));
    }

    [Fact]
    public async Task A_path_valid_for_another_policy_is_refused_when_an_explicit_policy_is_required()
    {
        using var issuing = root.Intermediate("CN=Issuing P1", extensions: CertificatePolicies(P1));
        var leaf = issuing.Leaf("CN=client", extensions: CertificatePolicies(P1));
        var verdict = await HandBuiltPaths.JudgeAsync(root, leaf, [issuing], Explicit(P2));
        Assert.Equal(RefusalReason.Untrusted, verdict.Refusal);
        Assert.Contains($"the path is valid for {P1}, none of the acceptable policies ({P2})", verdict.Detail, StringComparison.Ordinal);
        Assert.Contains("the RequireExplicitPolicy setting", verdict.Detail, StringComparison.Ordinal);

        // RFC 5280 6.1.5 (g): without an explicit policy requirement the acceptable set does not refuse.
        var lenient = await HandBuiltPaths.JudgeAsync(root, leaf, [issuing], new PathValidationPolicy { AcceptablePolicies = [P2] });
        Assert.True(lenient.Accepted, lenient.Detail);
    }

    [Fact]
    public async Task A_CA_that_requires_an_explicit_policy_refuses_a_leaf_without_policies_and_names_itself()
    {
        using var issuing = root.Intermediate("CN=Strict CA", extensions: [CertificatePolicies(P1), PolicyConstraints(requireExplicitPolicy: 0, inhibitPolicyMapping: null)]);
        var verdict = await HandBuiltPaths.JudgeAsync(root, issuing.Leaf("CN=no policies"), [issuing]);
        Assert.Equal(RefusalReason.Untrusted, verdict.Refusal);
        Assert.Equal(
            "certificate policies: 'CN=no policies' has no certificatePolicies extension, but the path must be valid for an explicit policy from 'CN=no policies' on (requireExplicitPolicy 0 in 'CN=Strict CA')",
            verdict.Detail);
        Assert.True((await HandBuiltPaths.JudgeAsync(root, issuing.Leaf("CN=with policy", extensions: CertificatePolicies(P1)), [issuing])).Accepted);
    }

    [Fact]
    public async Task Mapped_policies_are_reported_in_the_relying_party_domain_and_mapping_can_be_inhibited()
    {
        using var mapping = root.Intermediate("CN=Mapping CA", extensions: [CertificatePolicies(P1), PolicyMappings((P1, P3))]);
        using var issuing = mapping.Intermediate("CN=Issuing P3", extensions: CertificatePolicies(P3));
        var leaf = issuing.Leaf("CN=client", extensions: CertificatePolicies(P3));

        var verdict = await HandBuiltPaths.JudgeAsync(root, leaf, [mapping, issuing], Explicit(P1));
        Assert.True(verdict.Accepted, verdict.Detail);
        Assert.Equal([P1], verdict.ValidPolicies);

        var inhibited = await HandBuiltPaths.JudgeAsync(root, leaf, [mapping, issuing], Explicit(P1) with { InhibitPolicyMapping = true });
        Assert.Equal(RefusalReason.Untrusted, inhibited.Refusal);
        Assert.Contains("'CN=Mapping CA' maps its policies while policy mapping is inhibited (the InhibitPolicyMapping setting)", inhibited.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_mapping_to_or_from_anyPolicy_is_refused(bool toAnyPolicy)
    {
        var pair = toAnyPolicy ? (P1, AnyPolicy) : (AnyPolicy, P1);
        using var mapping = root.Intermediate("CN=Bad Mapping CA", extensions: [CertificatePolicies(AnyPolicy), PolicyMappings(pair)]);
        using var issuing = mapping.Intermediate("CN=Issuing", extensions: CertificatePolicies(AnyPolicy));
        var verdict = await HandBuiltPaths.JudgeAsync(root, issuing.Leaf("CN=client", extensions: CertificatePolicies(P1)), [mapping, issuing]);
        Assert.Equal(RefusalReason.Untrusted, verdict.Refusal);
        Assert.Contains("'CN=Bad Mapping CA' maps", verdict.Detail, StringComparison.Ordinal);
        Assert.Contains("a policy mapping to or from anyPolicy is not allowed", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyPolicy_leaves_the_path_valid_for_any_policy_unless_inhibited()
    {
        using var issuing = root.Intermediate("CN=Any CA", extensions: CertificatePolicies(AnyPolicy));
        var leaf = issuing.Leaf("CN=any", extensions: CertificatePolicies(AnyPolicy));
        var verdict = await HandBuiltPaths.JudgeAsync(root, leaf, [issuing], Explicit(P2));
        Assert.True(verdict.Accepted, verdict.Detail);
        Assert.Equal([AnyPolicy], verdict.ValidPolicies);
        Assert.True(verdict.IsValidForPolicy(P2));

        var inhibited = await HandBuiltPaths.JudgeAsync(root, leaf, [issuing], Explicit(P2) with { InhibitAnyPolicy = true });
        Assert.Equal(RefusalReason.Untrusted, inhibited.Refusal);
        Assert.Contains("its anyPolicy does not count (the InhibitAnyPolicy setting)", inhibited.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_trust_anchors_own_policy_constraints_are_not_applied()
    {
        using var constrainedRoot = HandBuiltCa.Root("CN=Constrained Root", extensions: [PolicyConstraints(0, 0), InhibitAnyPolicy(0)]);
        var leaf = constrainedRoot.Leaf("CN=plain");
        var verdict = await HandBuiltPaths.JudgeAsync(constrainedRoot, leaf, []);
        Assert.True(verdict.Accepted, verdict.Detail);
    }

    [Fact]
    public async Task A_deep_chain_with_policies_on_every_certificate_is_processed()
    {
        var chain = new List<HandBuiltCa>();
        var issuer = root;
        for (var depth = 0; depth < 20; depth++)
        {
            issuer = issuer.Intermediate($"CN=Level {depth}", extensions: [CertificatePolicies(P1, AnyPolicy), PolicyMappings((P2, P3))]);
            chain.Add(issuer);
        }

        try
        {
            var verdict = await HandBuiltPaths.JudgeAsync(root, issuer.Leaf("CN=deep", extensions: CertificatePolicies(P1)), chain, Explicit(P1));
            Assert.True(verdict.Accepted, verdict.Detail);
            Assert.Equal([P1], verdict.ValidPolicies);
        }
        finally
        {
            chain.ForEach(ca => ca.Dispose());
        }
    }

    [Fact]
    public async Task A_policy_tree_that_explodes_through_mappings_is_refused_not_processed()
    {
        // 40 policies, each mapped to the same 40 others: the next certificate's 40 policies each match all 40 nodes.
        var issuerPolicies = Enumerable.Range(100, 40).Select(TestPolicy).ToArray();
        var subjectPolicies = Enumerable.Range(200, 40).Select(TestPolicy).ToArray();
        var mappings = issuerPolicies.SelectMany(issuer => subjectPolicies.Select(subject => (issuer, subject))).ToArray();
        using var mapping = root.Intermediate("CN=Exploding CA", extensions: [CertificatePolicies(issuerPolicies), PolicyMappings(mappings)]);
        using var issuing = mapping.Intermediate("CN=Issuing", extensions: CertificatePolicies(subjectPolicies));
        var verdict = await HandBuiltPaths.JudgeAsync(root, issuing.Leaf("CN=client", extensions: CertificatePolicies(subjectPolicies[0])), [mapping, issuing]);
        Assert.Equal(RefusalReason.Untrusted, verdict.Refusal);
        Assert.Contains("more than 1000 policy tree nodes at 'CN=Issuing'", verdict.Detail, StringComparison.Ordinal);
    }

    private static PathValidationPolicy Explicit(params string[] acceptable) => new() { AcceptablePolicies = acceptable, RequireExplicitPolicy = true };
}
