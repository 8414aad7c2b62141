namespace MtlsGateway.Validation.Policies;

/// <summary>
/// RFC 5280's valid_policy_tree, kept level by level. Its size is bounded: policy mappings can make a tree grow
/// exponentially with the path (the attack behind CVE-2023-0464), so a path whose tree would exceed the bound is refused.
/// </summary>
internal sealed class ValidPolicyTree
{
    private readonly List<List<PolicyNode>> levels = [];
    private readonly int maxNodes;
    private int count;

    public ValidPolicyTree(int maxNodes)
    {
        this.maxNodes = maxNodes;
        levels.Add([new PolicyNode(CertificatePolicyOids.AnyPolicy, [CertificatePolicyOids.AnyPolicy], null)]);
        count = 1;
    }

    /// <summary>True once the root was deleted: the tree is NULL.</summary>
    public bool IsNull => levels[0].Count == 0;

    public IReadOnlyList<PolicyNode> AtDepth(int depth) => depth < levels.Count ? levels[depth] : [];

    /// <summary>Adds a child; false when the tree would exceed its bound (the path must then be refused).</summary>
    public bool TryAddChild(PolicyNode parent, string validPolicy, HashSet<string> expectedPolicySet)
    {
        if (count >= maxNodes)
        {
            return false;
        }

        var child = new PolicyNode(validPolicy, expectedPolicySet, parent);
        parent.Children.Add(child);
        while (levels.Count <= child.Depth)
        {
            levels.Add([]);
        }

        levels[child.Depth].Add(child);
        count++;
        return true;
    }

    /// <summary>Deletes a node and everything below it.</summary>
    public void Remove(PolicyNode node)
    {
        foreach (var child in node.Children.ToArray())
        {
            Remove(child);
        }

        node.Parent?.Children.Remove(node);
        levels[node.Depth].Remove(node);
        count--;
    }

    /// <summary>Deletes, bottom up, every node above <paramref name="depth"/> that has no child (RFC 5280 6.1.3 (d)(3)).</summary>
    public void PruneAbove(int depth)
    {
        for (var level = Math.Min(depth, levels.Count) - 1; level >= 0; level--)
        {
            foreach (var childless in levels[level].Where(node => node.Children.Count == 0).ToArray())
            {
                Remove(childless);
            }
        }
    }
}
