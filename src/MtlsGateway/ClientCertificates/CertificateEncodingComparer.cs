namespace MtlsGateway.ClientCertificates;

/// <summary>Compares DER encodings byte for byte.</summary>
internal sealed class CertificateEncodingComparer : IEqualityComparer<ReadOnlyMemory<byte>>
{
    public static readonly CertificateEncodingComparer Instance = new();

    public bool Equals(ReadOnlyMemory<byte> x, ReadOnlyMemory<byte> y) => x.Span.SequenceEqual(y.Span);

    // HashCode is seeded per process, so a client cannot choose encodings that collide.
    public int GetHashCode(ReadOnlyMemory<byte> obj)
    {
        var hash = new HashCode();
        hash.AddBytes(obj.Span);
        return hash.ToHashCode();
    }
}
