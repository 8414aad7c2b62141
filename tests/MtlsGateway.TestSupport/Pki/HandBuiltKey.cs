using System.Security.Cryptography;

namespace MtlsGateway.TestSupport.Pki;

/// <summary>Which key a <see cref="HandBuiltCa"/> certificate gets (RSA of any size, EC on any curve .NET can create).</summary>
public sealed record HandBuiltKey(string Kind, int Size, string? Curve = null)
{
    public static readonly HandBuiltKey P256 = new("EC", 256);

    public static HandBuiltKey Rsa(int bits) => new("RSA", bits);

    public static HandBuiltKey EcCurve(string oid) => new("EC", 0, oid);

    public AsymmetricAlgorithm Create() => Kind == "RSA"
        ? RSA.Create(Size)
        : ECDsa.Create(Curve is null ? ECCurve.NamedCurves.nistP256 : ECCurve.CreateFromValue(Curve));
}
