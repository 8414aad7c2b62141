using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Validation.Certificates;

namespace MtlsGateway.Validation.Policies;

/// <summary>
/// RFC 5280 6.1 certificate policy processing over a built path, as a check of its own: X509Chain on Linux (OpenSSL
/// underneath) does none. Runs the valid_policy_tree, explicit_policy, inhibit_anyPolicy and policy_mapping state
/// through 6.1.3 (d) to (f), 6.1.4 (a), (b), (h) to (j) and 6.1.5 (a), (b) and (g). The trust anchor is an input, not a
/// certificate of the path, so its own policy extensions are not applied (6.1.1).
/// </summary>
public static class PolicyProcessing
{
    /// <summary>Far above any real PKI (PKITS needs a few dozen nodes), far below what makes CPU time an attack.</summary>
    public const int MaxTreeNodes = 1000;

    private const string AnyPolicy = CertificatePolicyOids.AnyPolicy;

    /// <param name="path">End entity first, trust anchor last.</param>
    /// <param name="acceptablePolicies">user-initial-policy-set; empty means anyPolicy.</param>
    public static PolicyProcessingResult Run(
        IReadOnlyList<X509Certificate2> path, IReadOnlyList<string> acceptablePolicies, bool requireExplicitPolicy, bool inhibitPolicyMapping, bool inhibitAnyPolicy)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(acceptablePolicies);
        var n = path.Count - 1;
        var explicitPolicy = requireExplicitPolicy ? 0 : n + 1;
        var inhibitAny = inhibitAnyPolicy ? 0 : n + 1;
        var policyMapping = inhibitPolicyMapping ? 0 : n + 1;
        var explicitSource = "the RequireExplicitPolicy setting";
        var anySource = "the InhibitAnyPolicy setting";
        var mappingSource = "the InhibitPolicyMapping setting";
        ValidPolicyTree? tree = new(MaxTreeNodes);
        string? treeNullCause = null;
        CertificatePolicyExtensions last = CertificatePolicyExtensions.None;

        // Read every certificate's policy extensions first: a malformed one refuses the path whatever else it holds.
        var allExtensions = new CertificatePolicyExtensions[n + 1];
        for (var i = 1; i <= n; i++)
        {
            try
            {
                allExtensions[i] = CertificatePolicyExtensions.Read(path[n - i]);
            }
            catch (FormatException e)
            {
                return Fail($"'{path[n - i].Subject}': {e.Message}");
            }
        }

        if (!requireExplicitPolicy && Array.TrueForAll(allExtensions[1..], extensions => extensions.IsEmpty))
        {
            // No policy anywhere and none required: the tree is NULL from the first certificate on and nothing can
            // require an explicit policy.
            return new PolicyProcessingResult(null, []);
        }

        // Without policyConstraints or inhibitAnyPolicy in the path, the skip counts start at n+1 and cannot reach 0
        // before the end entity, so self-issued certificates (whose names take a costly comparison) change nothing.
        var skipCountsMatter = Array.Exists(allExtensions, extensions => extensions?.HasSkipCounts == true);

        for (var i = 1; i <= n; i++)
        {
            var certificate = path[n - i];
            var subject = certificate.Subject;
            var extensions = allExtensions[i];
            last = extensions;
            bool? selfIssuedKnown = null;
            bool SelfIssued() => selfIssuedKnown ??= DistinguishedNames.Match(certificate.SubjectName.RawData, certificate.IssuerName.RawData);

            // 6.1.3 (d)
            if (extensions.Policies is { } policies && tree is not null)
            {
                var parents = tree.AtDepth(i - 1).ToArray();
                var allowedAbove = string.Join(", ", parents.SelectMany(node => node.ExpectedPolicySet).Distinct(StringComparer.Ordinal).Select(Name));
                foreach (var policy in policies.Where(policy => policy != AnyPolicy))
                {
                    var matches = parents.Where(node => node.ExpectedPolicySet.Contains(policy)).ToArray();
                    if (matches.Length == 0)
                    {
                        matches = [.. parents.Where(node => node.IsAnyPolicy).Take(1)];
                    }

                    foreach (var parent in matches)
                    {
                        if (!tree.TryAddChild(parent, policy, [policy]))
                        {
                            return TooLarge(subject);
                        }
                    }
                }

                var anyPolicyHonoured = inhibitAny > 0 || (i < n && SelfIssued());
                if (policies.Contains(AnyPolicy) && anyPolicyHonoured)
                {
                    foreach (var parent in parents)
                    {
                        foreach (var expected in parent.ExpectedPolicySet.ToArray())
                        {
                            if (!parent.Children.Exists(child => child.ValidPolicy == expected) && !tree.TryAddChild(parent, expected, [expected]))
                            {
                                return TooLarge(subject);
                            }
                        }
                    }
                }

                tree.PruneAbove(i);
                if (tree.IsNull)
                {
                    var anyNote = policies.Contains(AnyPolicy) && !anyPolicyHonoured ? $"; its anyPolicy does not count ({anySource})" : string.Empty;
                    treeNullCause = $"no certificate policy of '{subject}' ({string.Join(", ", policies.Select(Name))}) is valid for the path above it (there: {allowedAbove}){anyNote}";
                    tree = null;
                }
            }

            // 6.1.3 (e)
            if (extensions.Policies is null && tree is not null)
            {
                tree = null;
                treeNullCause = $"'{subject}' has no certificatePolicies extension";
            }

            // 6.1.3 (f)
            if (explicitPolicy == 0 && tree is null)
            {
                return Fail($"{treeNullCause}, but the path must be valid for an explicit policy from '{subject}' on ({explicitSource})");
            }

            if (i == n)
            {
                break;
            }

            // 6.1.4 (a) and (b)
            if (extensions.Mappings is { } mappings)
            {
                if (mappings.FirstOrDefault(mapping => mapping.IssuerDomainPolicy == AnyPolicy || mapping.SubjectDomainPolicy == AnyPolicy) is { IssuerDomainPolicy: not null } toOrFromAny)
                {
                    return Fail($"'{subject}' maps {Name(toOrFromAny.IssuerDomainPolicy)} to {Name(toOrFromAny.SubjectDomainPolicy)}: a policy mapping to or from anyPolicy is not allowed (RFC 5280 6.1.4 (a))");
                }

                if (tree is not null)
                {
                    foreach (var group in mappings.GroupBy(mapping => mapping.IssuerDomainPolicy, StringComparer.Ordinal))
                    {
                        var subjectPolicies = group.Select(mapping => mapping.SubjectDomainPolicy).ToHashSet(StringComparer.Ordinal);
                        var mapped = tree.AtDepth(i).Where(node => node.ValidPolicy == group.Key).ToArray();
                        if (policyMapping > 0)
                        {
                            if (mapped.Length > 0)
                            {
                                foreach (var node in mapped)
                                {
                                    node.ExpectedPolicySet = [.. subjectPolicies];
                                }
                            }
                            else if (tree.AtDepth(i).FirstOrDefault(node => node.IsAnyPolicy) is { Parent: { } anyParent }
                                && !tree.TryAddChild(anyParent, group.Key, subjectPolicies))
                            {
                                return TooLarge(subject);
                            }
                        }
                        else
                        {
                            foreach (var node in mapped)
                            {
                                tree.Remove(node);
                            }

                            tree.PruneAbove(i);
                            if (tree.IsNull)
                            {
                                treeNullCause = $"'{subject}' maps its policies while policy mapping is inhibited ({mappingSource}), which leaves no valid policy";
                                tree = null;
                                break;
                            }
                        }
                    }
                }
            }

            // 6.1.4 (h): a self-issued certificate (a CA's key rollover) does not count towards the skip counts.
            if (skipCountsMatter && !SelfIssued())
            {
                explicitPolicy = Math.Max(0, explicitPolicy - 1);
                policyMapping = Math.Max(0, policyMapping - 1);
                inhibitAny = Math.Max(0, inhibitAny - 1);
            }

            // 6.1.4 (i) and (j)
            if (extensions.RequireExplicitPolicy is { } require && require < explicitPolicy)
            {
                explicitPolicy = require;
                explicitSource = $"requireExplicitPolicy {require} in '{subject}'";
            }

            if (extensions.InhibitPolicyMapping is { } inhibitMapping && inhibitMapping < policyMapping)
            {
                policyMapping = inhibitMapping;
                mappingSource = $"inhibitPolicyMapping {inhibitMapping} in '{subject}'";
            }

            if (extensions.InhibitAnyPolicy is { } skip && skip < inhibitAny)
            {
                inhibitAny = skip;
                anySource = $"inhibitAnyPolicy {skip} in '{subject}'";
            }
        }

        // 6.1.5 (a) and (b)
        explicitPolicy = Math.Max(0, explicitPolicy - 1);
        if (last.RequireExplicitPolicy == 0 && n > 0)
        {
            explicitPolicy = 0;
            explicitSource = $"requireExplicitPolicy 0 in '{path[0].Subject}'";
        }

        var validPolicies = tree is null ? [] : ValidPolicies(tree, n);

        // 6.1.5 (g)
        var intersectionNull = tree is null || (acceptablePolicies.Count > 0 && !Intersect(tree, n, acceptablePolicies));
        if (explicitPolicy > 0 || !intersectionNull)
        {
            return new PolicyProcessingResult(null, validPolicies);
        }

        return Fail(tree is null
            ? $"{treeNullCause ?? "the path carries no certificate policy"}, but the path must be valid for an explicit policy ({explicitSource})"
            : $"the path is valid for {(validPolicies.Length == 0 ? "no policy" : string.Join(", ", validPolicies.Select(Name)))}, none of the acceptable policies ({string.Join(", ", acceptablePolicies)}), and it must be valid for one ({explicitSource})");
    }

    /// <summary>The valid policies in the relying party's domain: those whose parent is anyPolicy, plus anyPolicy itself when it reaches the end entity.</summary>
    private static string[] ValidPolicies(ValidPolicyTree tree, int n)
    {
        var policies = new List<string>();
        for (var depth = 1; depth <= n; depth++)
        {
            policies.AddRange(tree.AtDepth(depth).Where(node => node.Parent!.IsAnyPolicy && !node.IsAnyPolicy).Select(node => node.ValidPolicy));
        }

        if (tree.AtDepth(n).Any(node => node.IsAnyPolicy))
        {
            policies.Add(AnyPolicy);
        }

        return [.. policies.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>6.1.5 (g) (iii): the tree intersected with the acceptable policies; false when nothing is left.</summary>
    private static bool Intersect(ValidPolicyTree tree, int n, IReadOnlyList<string> acceptable)
    {
        var acceptableSet = acceptable.ToHashSet(StringComparer.Ordinal);
        var nodeSet = Enumerable.Range(1, n).SelectMany(depth => tree.AtDepth(depth).Where(node => node.Parent!.IsAnyPolicy)).ToArray();
        foreach (var node in nodeSet.Where(node => !node.IsAnyPolicy && !acceptableSet.Contains(node.ValidPolicy)))
        {
            if (tree.AtDepth(node.Depth).Contains(node))
            {
                tree.Remove(node);
            }
        }

        if (tree.AtDepth(n).FirstOrDefault(node => node.IsAnyPolicy) is { Parent: { } anyParent } anyLeaf)
        {
            foreach (var policy in acceptable.Where(policy => !nodeSet.Any(node => node.ValidPolicy == policy)))
            {
                // Bounded by the number of acceptable policies, which the operator chose.
                tree.TryAddChild(anyParent, policy, [policy]);
            }

            tree.Remove(anyLeaf);
        }

        tree.PruneAbove(n);
        return !tree.IsNull;
    }

    private static string Name(string policy) => policy == AnyPolicy ? "anyPolicy" : policy;

    private static PolicyProcessingResult Fail(string problem) => new(problem, []);

    private static PolicyProcessingResult TooLarge(string subject) =>
        Fail($"the certificate policies and policy mappings of the path expand to more than {MaxTreeNodes} policy tree nodes at '{subject}'; such a path is refused rather than processed");
}
