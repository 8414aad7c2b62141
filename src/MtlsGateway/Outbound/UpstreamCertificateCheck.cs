using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Trust;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.Outbound;

/// <summary>
/// Judges an upstream's server certificate for one cluster. With <c>UpstreamTrustedCaFile</c> the path is judged by the
/// same validator as client certificates (trust list from that file only, crypto minimums, validity, RFC 5280 policy
/// processing, purpose server-auth); without it the OS trust store decides, as .NET's default does. Either way the
/// host name must match and a refusal is logged with its reason.
/// Revocation is not checked here: upstreams are few and pinned, and a CRL/OCSP fetch would sit inside every handshake.
/// </summary>
internal sealed partial class UpstreamCertificateCheck
{
    private readonly string clusterId;
    private readonly ClientCertificateValidator? pinned;
    private readonly TimeProvider time;
    private readonly ILogger logger;

    public UpstreamCertificateCheck(string clusterId, TrustList? pinnedTrust, PathValidationPolicy policy, TimeProvider time, ILogger logger)
    {
        this.clusterId = clusterId;
        pinned = pinnedTrust is null ? null : new ClientCertificateValidator(() => pinnedTrust, policy, [], new ValidationEpoch());
        this.time = time;
        this.logger = logger;
    }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var host = (sender as SslStream)?.TargetHostName ?? string.Empty;
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            LogRefused(clusterId, host, "no server certificate");
            return false;
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            LogRefused(clusterId, host, $"certificate '{certificate.Subject}' is not issued for this host name");
            return false;
        }

        if (pinned is null)
        {
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            LogRefused(clusterId, host, $"certificate '{certificate.Subject}' is not trusted by the operating system's trust store ({Describe(chain)}); pin its CA with UpstreamTrustedCaFile");
            return false;
        }

        return ValidatePinned(host, certificate, chain);
    }

    private bool ValidatePinned(string host, X509Certificate certificate, X509Chain? presented)
    {
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());

        // What the server sent in the handshake: intermediates only help build the path, they are not trusted.
        var sent = new List<X509Certificate2>();
        if (presented is not null)
        {
            sent.AddRange(presented.ChainPolicy.ExtraStore);
            sent.AddRange(presented.ChainElements.Skip(1).Select(element => element.Certificate));
        }

        // No check of this validator awaits anything (no revocation), so it completes here, inside the handshake.
        var validation = pinned!.ValidateAsync(leaf, sent, time.GetUtcNow(), CancellationToken.None);
        var verdict = validation.IsCompletedSuccessfully ? validation.Result : validation.AsTask().GetAwaiter().GetResult();
        if (verdict.Accepted)
        {
            return true;
        }

        LogRefused(clusterId, host, verdict.Refusal == RefusalReason.Untrusted
            ? $"certificate '{leaf.Subject}' does not chain to the pinned UpstreamTrustedCaFile ({verdict.Detail})"
            : $"certificate '{leaf.Subject}' is refused ({verdict.Refusal!.Value.ToCode()}): {verdict.Detail}");
        return false;
    }

    private static string Describe(X509Chain? chain) =>
        chain is null || chain.ChainStatus.Length == 0
            ? "chain not built"
            : string.Join(", ", chain.ChainStatus.Select(s => s.Status).Distinct());

    [LoggerMessage(EventId = EventIds.UpstreamCertificateRefused, EventName = nameof(EventIds.UpstreamCertificateRefused), Level = LogLevel.Warning, Message = "Upstream of cluster {ClusterId} refused: host {Host}: {Reason}")]
    private partial void LogRefused(string clusterId, string host, string reason);
}
