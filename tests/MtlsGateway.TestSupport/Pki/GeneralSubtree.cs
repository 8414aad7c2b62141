namespace MtlsGateway.TestSupport.Pki;

/// <summary>A name constraints subtree: a base name and, rarely used, minimum and maximum.</summary>
public sealed record GeneralSubtree(GeneralName Base, int Minimum = 0, int? Maximum = null);
