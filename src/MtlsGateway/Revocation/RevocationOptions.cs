using MtlsGateway.Validation.Revocation;

namespace MtlsGateway.Revocation;

/// <summary>Settings under <c>Gateway:ClientCertificates:Revocation</c>.</summary>
public sealed class RevocationOptions
{
    public const string SectionName = "Gateway:ClientCertificates:Revocation";

    /// <summary>Require (fail closed, the default), BestEffort (refuse only known-revoked) or Off.</summary>
    public RevocationMode Mode { get; set; } = RevocationMode.Require;

    /// <summary>Chain (every certificate below the trust anchor, the default) or EndEntity.</summary>
    public RevocationScope Scope { get; set; } = RevocationScope.Chain;

    /// <summary>Local CRL files or folders (PEM with one or more CRLs, or DER), watched and reloaded.</summary>
    public List<string> CrlFiles { get; } = [];

    /// <summary>Download CRLs from the certificates' CRL distribution points (http only).</summary>
    public bool FetchCrls { get; set; } = true;

    /// <summary>Ask the OCSP responders named in the certificates' Authority Information Access.</summary>
    public bool Ocsp { get; set; } = true;

    /// <summary>The most a CRL download or an OCSP request may cost a request.</summary>
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a failed fetch from an origin is remembered, so a dead responder is not asked on every request.</summary>
    public TimeSpan FailureMemory { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest reuse of an OCSP answer, whatever its nextUpdate says.</summary>
    public TimeSpan OcspMaxCacheAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Where downloaded CRLs are kept so they survive a restart. Default: a folder under the system temp folder.</summary>
    public string? CrlCacheFolder { get; set; }
}
