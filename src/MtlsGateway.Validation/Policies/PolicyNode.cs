namespace MtlsGateway.Validation.Policies;

/// <summary>A node of RFC 5280's valid_policy_tree (6.1.2 (a)). Qualifiers are not kept: the gateway does not display them.</summary>
internal sealed class PolicyNode
{
    public PolicyNode(string validPolicy, HashSet<string> expectedPolicySet, PolicyNode? parent)
    {
        ValidPolicy = validPolicy;
        ExpectedPolicySet = expectedPolicySet;
        Parent = parent;
        Depth = parent is null ? 0 : parent.Depth + 1;
    }

    public string ValidPolicy { get; }

    /// <summary>The policies that satisfy this node's policy in the next certificate (changed by policy mapping).</summary>
    public HashSet<string> ExpectedPolicySet { get; set; }

    public PolicyNode? Parent { get; }

    public List<PolicyNode> Children { get; } = [];

    public int Depth { get; }

    public bool IsAnyPolicy => ValidPolicy == CertificatePolicyOids.AnyPolicy;
}
