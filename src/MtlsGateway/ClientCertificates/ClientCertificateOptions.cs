using System.ComponentModel.DataAnnotations;

namespace MtlsGateway.ClientCertificates;

/// <summary>Settings under <c>Gateway:ClientCertificates</c>: what a client certificate must satisfy.</summary>
public sealed class ClientCertificateOptions
{
    public const string SectionName = "Gateway:ClientCertificates";

    /// <summary>Trust anchors: files (PEM bundles or DER) or folders of them. Relative paths resolve against the content root.</summary>
    public List<string> TrustedCaFiles { get; } = [];

    /// <summary>Intermediate CA certificates to complete chains that clients send incompletely.</summary>
    public List<string> IntermediateFiles { get; } = [];

    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    public bool RequireClientAuthEku { get; set; } = true;

    /// <summary>How often the trust files are re-read even when no file-system event arrived.</summary>
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(30);

    [Range(1, 10_000_000)]
    public int VerdictCacheSize { get; set; } = 10_000;

    public TimeSpan VerdictCacheLifetime { get; set; } = TimeSpan.FromMinutes(5);
}
