using Microsoft.Extensions.Options;
using MtlsGateway.ClientCertificates;
using MtlsGateway.Hosting;
using MtlsGateway.Validation.Chains;
using Yarp.ReverseProxy.Forwarder;

namespace MtlsGateway.Outbound;

/// <summary>
/// YARP's HTTP client per cluster, with the cluster's outbound identity (client certificate chosen per handshake, so a
/// reloaded token identity is used by the next new connection) and its upstream certificate check. YARP's own handler
/// settings and connection pooling are kept: a card signs slowly, so connections must be reused.
/// </summary>
internal sealed class OutboundHttpClientFactory(
    OutboundIdentities identities, OutboundClusterRules rules, IOptions<ClientCertificateOptions> clientCertificates, TimeProvider time, ILoggerFactory loggers)
    : ForwarderHttpClientFactory(loggers.CreateLogger<ForwarderHttpClientFactory>())
{
    private readonly ILogger logger = loggers.CreateLogger<OutboundHttpClientFactory>();

    // YARP reuses the old client when the HttpClient config is unchanged; our metadata must be unchanged too.
    protected override bool CanReuseOldClient(ForwarderHttpClientContext context) =>
        base.CanReuseOldClient(context)
        && Same(context, OutboundClusterRules.OutboundIdentityKey)
        && Same(context, OutboundClusterRules.UpstreamTrustedCaFileKey);

    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        if (context.NewConfig.DangerousAcceptAnyServerCertificate == true)
        {
            // OutboundClusterRules refuses this first; never let it through if that ever changes.
            throw new GatewayConfigurationException($"ReverseProxy:Clusters:{context.ClusterId}:HttpClient:DangerousAcceptAnyServerCertificate", "refused");
        }

        var pinned = rules.PinnedTrust(context.ClusterId, context.NewMetadata);
        handler.SslOptions.RemoteCertificateValidationCallback = new UpstreamCertificateCheck(context.ClusterId, pinned, UpstreamPolicy(clientCertificates.Value), time, logger).Validate;
        if (Identity(context) is { } identity)
        {
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => identity.Certificate!;
        }
    }

    protected override HttpMessageHandler WrapHandler(ForwarderHttpClientContext context, HttpMessageHandler handler)
    {
        var wrapped = base.WrapHandler(context, handler);
        return Identity(context) is { } identity ? new OutboundIdentityGuard(context.ClusterId, identity, logger) { InnerHandler = wrapped } : wrapped;
    }

    /// <summary>
    /// Upstream server paths get the same engine as client paths, for purpose server-auth, with the same clock skew and
    /// crypto minimums; no certificate policy is asked of them.
    /// </summary>
    private static PathValidationPolicy UpstreamPolicy(ClientCertificateOptions options) => new()
    {
        Purpose = KeyPurpose.ServerAuthentication,
        ClockSkew = options.ClockSkew,
        MinimumKeySize = options.MinimumKeySize,
        AllowSha1Signatures = options.AllowSha1Signatures,
    };

    private OutboundIdentity? Identity(ForwarderHttpClientContext context) =>
        context.NewMetadata is not null && context.NewMetadata.TryGetValue(OutboundClusterRules.OutboundIdentityKey, out var name) && !string.IsNullOrWhiteSpace(name)
            ? identities.Get(name.Trim())
            : null;

    private static bool Same(ForwarderHttpClientContext context, string key) =>
        string.Equals(Value(context.OldMetadata, key), Value(context.NewMetadata, key), StringComparison.Ordinal);

    private static string? Value(IReadOnlyDictionary<string, string>? metadata, string key) =>
        metadata is not null && metadata.TryGetValue(key, out var value) ? value : null;
}
