using MtlsGateway.TestSupport.Pki;
using MtlsGateway.Validation.Chains;
using static MtlsGateway.TestSupport.Pki.Oids;

namespace MtlsGateway.Tests.Validation.Policies;

/// <summary>RFC 5280 6.1 policy processing on hand-built paths, through the validator the gateway uses.</summary>
public sealed class PolicyProcessingTests : IDisposable
{
    private static readonly string P1 = TestPolicy(1);
    private static readonly string P2 = TestPolicy(2);
    private static readonly string P3 = TestPolicy(3);

    private readonly TestCa root = TestCa.CreateRoot("CN=Policy Root");

    public void Dispose() => root.Dispose();

    [Fact]
    public async Task A_path_valid_for_the_acceptable_policy_is_accepted_and_carries_its_valid_policies()
    {
        using var issuing = root.CreateIntermediate("CN=Issuing P1", profile => profile.AddPolicies(P1, P2));
        var leaf = issuing.Issue("CN=client", profile => profile.AddPolicies(P1));
        var verdict = await SingleRootValidation.JudgeAsync(root, leaf, [issuing], Explicit(P1));
        Assert.True(verdict.Accepted, verdict.Detail);
        Assert.Equal([P1], verdict.ValidPolicies);
        Assert.True(verdict.IsValidForPolicy(P1));
        Assert.False(verdict.IsValidForPolicy(P2));
    }

    [Fact]
    public async Task A_path_valid_for_another_policy_is_refused_when_an_explicit_policy_is_required()
    {
        using var issuing = root.CreateIntermediate("CN=Issuing P1", profile => profile.AddPolicies(P1));
        var leaf = issuing.Issue("CN=client", profile => profile.AddPolicies(P1));
        var verdict = await SingleRootValidation.JudgeAsync(root, leaf, [issuing], Explicit(P2));
        Assert.Equal(RefusalReason.Untrusted, verdict.Refusal);
        Assert.Contains($"the path is valid for {P1}, none of the acceptable policies ({P2})", verdict.Detail, StringComparison.Ordinal);
        Assert.Contains("the RequireExplicitPolicy setting", verdict.Detail, StringComparison.Ordinal);

        // RFC 5280 6.1.5 (g): without an explicit policy requirement the acceptable set does not refuse.
        var lenient = await SingleRootValidation.JudgeAsync(root, leaf, [issuing], new PathValidationPolicy { AcceptablePolicies = [P2] });
        Assert.True(lenient.Accepted, lenient.Detail);
    }

    [Fact]
    public async Task A_CA_that_requires_an_explicit_policy_refuses_a_leaf_without_policies_and_names_itself()
    {
        using var issuing = root.CreateIntermediate("CN=Strict CA", profile =>
        {
            profile.AddPolicies(P1);
            profile.RequireExplicitPolicy = 0;
        });
        var verdict = await SingleRootValidation.JudgeAsync(root, issuing.Issue("CN=no policies"), [issuing]);
        Assert.Equal(RefusalReason.Untrusted, verdict.Refusal);
        Assert.Equal(
            "certificate policies: 'CN=no policies' has no certificatePolicies extension, but the path must be valid for an explicit policy from 'CN=no policies' on (requireExplicitPolicy 0 in 'CN=Strict CA')",
            verdict.Detail);
        Assert.True((await SingleRootValidation.JudgeAsync(root, issuing.Issue("CN=with policy", profile => profile.AddPolicies(P1)), [issuing])).Accepted);
    }

    [Fact]
    public async Task Mapped_policies_are_reported_in_the_relying_party_domain_and_mapping_can_be_inhibited()
    {
        using var mapping = root.CreateIntermediate("CN=Mapping CA", profile => profile.AddPolicies(P1).AddPolicyMappings((P1, P3)));
        using var issuing = mapping.CreateIntermediate("CN=Issuing P3", profile => profile.AddPolicies(P3));
        var leaf = issuing.Issue("CN=client", profile => profile.AddPolicies(P3));

        var verdict = await SingleRootValidation.JudgeAsync(root, leaf, [mapping, issuing], Explicit(P1));
        Assert.True(verdict.Accepted, verdict.Detail);
        Assert.Equal([P1], verdict.ValidPolicies);

        var inhibited = await SingleRootValidation.JudgeAsync(root, leaf, [mapping, issuing], Explicit(P1) with { InhibitPolicyMapping = true });
        Assert.Equal(RefusalReason.Untrusted, inhibited.Refusal);
        Assert.Contains("'CN=Mapping CA' maps its policies while policy mapping is inhibited (the InhibitPolicyMapping setting)", inhibited.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_mapping_to_or_from_anyPolicy_is_refused(bool toAnyPolicy)
    {
        var pair = toAnyPolicy ? (P1, AnyPolicy) : (AnyPolicy, P1);
        using var mapping = root.CreateIntermediate("CN=Bad Mapping CA", profile => profile.AddPolicies(AnyPolicy).AddPolicyMappings(pair));
        using var issuing = mapping.CreateIntermediate("CN=Issuing", profile => profile.AddPolicies(AnyPolicy));
        var verdict = await SingleRootValidation.JudgeAsync(root, issuing.Issue("CN=client", profile => profile.AddPolicies(P1)), [mapping, issuing]);
        Assert.Equal(RefusalReason.Untrusted, verdict.Refusal);
        Assert.Contains("'CN=Bad Mapping CA' maps", verdict.Detail, StringComparison.Ordinal);
        Assert.Contains("a policy mapping to or from anyPolicy is not allowed", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyPolicy_leaves_the_path_valid_for_any_policy_unless_inhibited()
    {
        using var issuing = root.CreateIntermediate("CN=Any CA", profile => profile.AddPolicies(AnyPolicy));
        var leaf = issuing.Issue("CN=any", profile => profile.AddPolicies(AnyPolicy));
        var verdict = await SingleRootValidation.JudgeAsync(root, leaf, [issuing], Explicit(P2));
        Assert.True(verdict.Accepted, verdict.Detail);
        Assert.Equal([AnyPolicy], verdict.ValidPolicies);
        Assert.True(verdict.IsValidForPolicy(P2));

        var inhibited = await SingleRootValidation.JudgeAsync(root, leaf, [issuing], Explicit(P2) with { InhibitAnyPolicy = true });
        Assert.Equal(RefusalReason.Untrusted, inhibited.Refusal);
        Assert.Contains("its anyPolicy does not count (the InhibitAnyPolicy setting)", inhibited.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_trust_anchors_own_policy_constraints_are_not_applied()
    {
        using var constrainedRoot = TestCa.CreateRoot("CN=Constrained Root", profile =>
        {
            profile.RequireExplicitPolicy = 0;
            profile.InhibitPolicyMapping = 0;
            profile.InhibitAnyPolicy = 0;
        });
        var leaf = constrainedRoot.Issue("CN=plain");
        var verdict = await SingleRootValidation.JudgeAsync(constrainedRoot, leaf, []);
        Assert.True(verdict.Accepted, verdict.Detail);
    }

    [Fact]
    public async Task A_deep_chain_with_policies_on_every_certificate_is_processed()
    {
        var chain = new List<TestCa>();
        var issuer = root;
        for (var depth = 0; depth < 20; depth++)
        {
            issuer = issuer.CreateIntermediate($"CN=Level {depth}", profile => profile.AddPolicies(P1, AnyPolicy).AddPolicyMappings((P2, P3)));
            chain.Add(issuer);
        }

        try
        {
            var verdict = await SingleRootValidation.JudgeAsync(root, issuer.Issue("CN=deep", profile => profile.AddPolicies(P1)), chain, Explicit(P1));
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
        using var mapping = root.CreateIntermediate("CN=Exploding CA", profile => profile.AddPolicies(issuerPolicies).AddPolicyMappings(mappings));
        using var issuing = mapping.CreateIntermediate("CN=Issuing", profile => profile.AddPolicies(subjectPolicies));
        var verdict = await SingleRootValidation.JudgeAsync(root, issuing.Issue("CN=client", profile => profile.AddPolicies(subjectPolicies[0])), [mapping, issuing]);
        Assert.Equal(RefusalReason.Untrusted, verdict.Refusal);
        Assert.Contains("more than 1000 policy tree nodes at 'CN=Issuing'", verdict.Detail, StringComparison.Ordinal);
    }

    private static PathValidationPolicy Explicit(params string[] acceptable) => new() { AcceptablePolicies = acceptable, RequireExplicitPolicy = true };
}
