namespace MtlsGateway.Validation.Policies;

/// <summary>One pair of a policyMappings extension (RFC 5280 4.2.1.5): the issuer's policy and its equivalent in the subject's domain.</summary>
public readonly record struct PolicyMapping(string IssuerDomainPolicy, string SubjectDomainPolicy);
