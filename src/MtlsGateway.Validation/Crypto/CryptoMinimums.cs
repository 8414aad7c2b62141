using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.Validation.Crypto;

/// <summary>
/// The weakest cryptography the gateway relies on, for certificate paths and for the CRLs and OCSP answers it uses:
/// no MD2, MD4 or MD5 signature ever, no SHA-1 signature unless allowed, RSA and DSA keys of at least
/// <see cref="MinimumKeySize"/> bits, EC keys only on P-256, P-384 and P-521 (and Ed25519, Ed448).
/// </summary>
public sealed class CryptoMinimums
{
    public const int DefaultMinimumKeySize = 2048;

    private readonly bool enforced;

    public CryptoMinimums(int minimumKeySize = DefaultMinimumKeySize, bool allowSha1Signatures = false)
        : this(minimumKeySize, allowSha1Signatures, enforced: true)
    {
    }

    private CryptoMinimums(int minimumKeySize, bool allowSha1Signatures, bool enforced)
    {
        MinimumKeySize = minimumKeySize;
        AllowSha1Signatures = allowSha1Signatures;
        this.enforced = enforced;
    }

    /// <summary>2048-bit RSA and DSA, no SHA-1.</summary>
    public static CryptoMinimums Default { get; } = new();

    /// <summary>
    /// Judges nothing: for building a path, whose certificates are judged afterwards with the precise reason
    /// (weak-crypto), never for deciding what to rely on.
    /// </summary>
    internal static CryptoMinimums NotApplied { get; } = new(0, true, enforced: false);

    public int MinimumKeySize { get; }

    public bool AllowSha1Signatures { get; }

    /// <summary>Null when a signature made with this algorithm may be relied on; otherwise why not.</summary>
    /// <param name="parameters">The AlgorithmIdentifier parameters (DER; empty when absent).</param>
    public string? SignatureProblem(string algorithmOid, ReadOnlyMemory<byte> parameters)
    {
        ArgumentNullException.ThrowIfNull(algorithmOid);
        if (!enforced)
        {
            return null;
        }

        if (SignatureAlgorithms.Describe(algorithmOid, parameters) is not { } algorithm)
        {
            return $"signature algorithm {algorithmOid} is not among the accepted ones";
        }

        return algorithm.Hash switch
        {
            "MD2" or "MD4" or "MD5" => $"{algorithm.Name} signature ({algorithm.Hash}), never accepted",
            "SHA-1" when !AllowSha1Signatures => $"{algorithm.Name} signature (SHA-1), not accepted unless AllowSha1Signatures is set",
            _ => null,
        };
    }

    /// <summary>Null when the certificate's public key meets the minimums; otherwise what is wrong with it.</summary>
    /// <param name="ancestors">The certificate's issuers, nearest first (DSA parameter inheritance).</param>
    public string? KeyProblem(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> ancestors)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(ancestors);
        return enforced ? PublicKeyStrength.Problem(certificate, ancestors, MinimumKeySize) : null;
    }

    /// <summary>
    /// Null when every certificate of the path meets the minimums; otherwise the first that does not (end entity first),
    /// named, with the algorithm or key size. Every key counts, the trust anchor's included (it signs the path); every
    /// signature counts except the trust anchor's own self-signature, which nothing relies on.
    /// </summary>
    /// <param name="path">End entity first, trust anchor last.</param>
    public string? PathProblem(IReadOnlyList<X509Certificate2> path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var certificates = path as X509Certificate2[] ?? [.. path];
        for (var index = 0; index < certificates.Length; index++)
        {
            var certificate = certificates[index];
            var ancestors = new ArraySegment<X509Certificate2>(certificates, index + 1, certificates.Length - index - 1);
            if (KeyProblem(certificate, ancestors) is { } weakKey)
            {
                return $"'{certificate.Subject}': {weakKey}";
            }

            if (index < certificates.Length - 1 && SignatureProblem(certificate) is { } weakSignature)
            {
                return $"'{certificate.Subject}': {weakSignature}";
            }
        }

        return null;
    }

    private string? SignatureProblem(X509Certificate2 certificate)
    {
        var oid = certificate.SignatureAlgorithm.Value ?? string.Empty;
        if (oid != SignatureAlgorithms.RsaPss)
        {
            return SignatureProblem(oid, ReadOnlyMemory<byte>.Empty);
        }

        try
        {
            return SignatureProblem(oid, Signatures.SignedObject.Parse(certificate.RawDataMemory).Algorithm.Parameters);
        }
        catch (System.Formats.Asn1.AsnContentException)
        {
            return "RSASSA-PSS signature whose parameters cannot be read";
        }
    }

    /// <summary>For caches of verification results: two minimums with the same key judge alike.</summary>
    internal string CacheKey => enforced ? $"{MinimumKeySize}/{AllowSha1Signatures}" : "none";
}
