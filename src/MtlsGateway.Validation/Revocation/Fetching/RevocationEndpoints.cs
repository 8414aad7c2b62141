namespace MtlsGateway.Validation.Revocation.Fetching;

/// <summary>The revocation URLs a certificate names: those the gateway fetches and those it cannot (reported, never skipped silently).</summary>
public sealed record RevocationEndpoints(IReadOnlyList<Uri> Supported, IReadOnlyList<string> Unsupported)
{
    public static RevocationEndpoints None { get; } = new([], []);

    public bool IsEmpty => Supported.Count == 0 && Unsupported.Count == 0;

    public string DescribeUnsupported() => Unsupported.Count == 0
        ? string.Empty
        : "unsupported scheme: " + string.Join(", ", Unsupported);
}
