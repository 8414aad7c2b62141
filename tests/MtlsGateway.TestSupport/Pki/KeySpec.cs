using System.Security.Cryptography;

namespace MtlsGateway.TestSupport.Pki;

/// <summary>The kind and size of a key the test PKI makes: EC on a named curve, RSA or DSA of a chosen size.</summary>
public sealed record KeySpec
{
    private KeySpec(string algorithm, int size, ECCurve? curve = null)
    {
        Algorithm = algorithm;
        Size = size;
        Curve = curve;
    }

    public static KeySpec EcP256 { get; } = Ec(ECCurve.NamedCurves.nistP256, 256);

    public static KeySpec EcP384 { get; } = Ec(ECCurve.NamedCurves.nistP384, 384);

    public static KeySpec Rsa2048 { get; } = Rsa(2048);

    /// <summary>"EC", "RSA" or "DSA".</summary>
    public string Algorithm { get; }

    public int Size { get; }

    public ECCurve? Curve { get; }

    public static KeySpec Ec(ECCurve curve, int size) => new("EC", size, curve);

    public static KeySpec Rsa(int bits) => new("RSA", bits);

    public static KeySpec Dsa(int bits) => new("DSA", bits);

    public AsymmetricAlgorithm Create() => Algorithm switch
    {
        "EC" => ECDsa.Create(Curve!.Value),
        "RSA" => RSA.Create(Size),
        _ => DSA.Create(Size),
    };

    public override string ToString() => $"{Algorithm}-{Size}";
}
