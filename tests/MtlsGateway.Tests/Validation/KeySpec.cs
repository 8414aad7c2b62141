using System.Security.Cryptography;

namespace MtlsGateway.Tests.Validation;

/// <summary>Which key a hand-built certificate gets.</summary>
internal sealed record KeySpec(string Kind, int Size, string? Curve = null)
{
    public static readonly KeySpec P256 = new("EC", 256);

    public static KeySpec Rsa(int bits) => new("RSA", bits);

    public static KeySpec EcCurve(string oid) => new("EC", 0, oid);

    public AsymmetricAlgorithm Create() => Kind == "RSA"
        ? RSA.Create(Size)
        : ECDsa.Create(Curve is null ? ECCurve.NamedCurves.nistP256 : ECCurve.CreateFromValue(Curve));
}
