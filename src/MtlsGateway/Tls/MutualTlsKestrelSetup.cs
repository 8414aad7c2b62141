using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;
using MtlsGateway.ClientCertificates;
using MtlsGateway.Telemetry;

namespace MtlsGateway.Tls;

/// <summary>
/// Makes every endpoint from <c>Kestrel:Endpoints</c> a mutual-TLS endpoint, whatever its own settings say:
/// a client certificate is required, only TLS 1.2 and 1.3 are offered, and HTTP/1.1 and HTTP/2 are served.
/// </summary>
internal sealed partial class MutualTlsKestrelSetup(
    IConfiguration configuration,
    ClientConnectionRegistry connections,
    HandshakeTrust handshakeTrust,
    GatewayMetrics metrics,
    ILogger<MutualTlsKestrelSetup> logger) : IConfigureOptions<KestrelServerOptions>
{
    public const SslProtocols AllowedProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    public void Configure(KestrelServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddServerHeader = false;
        options.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http1AndHttp2);
        options.ConfigureHttpsDefaults(Enforce);

        // Endpoint settings from configuration override the defaults above, so they are enforced again per endpoint.
        var loader = options.Configure(configuration.GetSection("Kestrel"), reloadOnChange: true);
        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            var name = endpoint.Key;
            loader.Endpoint(name, configured =>
            {
                if (configured.HttpsOptions.ClientCertificateMode != ClientCertificateMode.RequireCertificate)
                {
                    LogOverridden(logger, name, "ClientCertificateMode", configured.HttpsOptions.ClientCertificateMode.ToString(), nameof(ClientCertificateMode.RequireCertificate));
                }

                if ((configured.HttpsOptions.SslProtocols & ~AllowedProtocols) != SslProtocols.None)
                {
                    LogOverridden(logger, name, "SslProtocols", configured.HttpsOptions.SslProtocols.ToString(), AllowedProtocols.ToString());
                }

                Enforce(configured.HttpsOptions);
            });
        }
    }

    private void Enforce(HttpsConnectionAdapterOptions https)
    {
        https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
        var protocols = https.SslProtocols & AllowedProtocols;
        https.SslProtocols = protocols == SslProtocols.None ? AllowedProtocols : protocols;
        https.CheckCertificateRevocation = false;
        https.ClientCertificateValidation = (certificate, chain, _) =>
        {
            metrics.HandshakeWithClientCertificate();
            return connections.RecordHandshake(certificate, chain);
        };
        https.OnAuthenticate = OnAuthenticate;
    }

    private void OnAuthenticate(ConnectionContext connection, SslServerAuthenticationOptions ssl)
    {
        ssl.ClientCertificateRequired = true;
        ssl.CertificateRevocationCheckMode = X509RevocationMode.NoCheck;
        ssl.CertificateChainPolicy = handshakeTrust.NewHandshakeChainPolicy();
        if (ssl.ServerCertificateContext is { } context)
        {
            ssl.ServerCertificateContext = handshakeTrust.AdvertisingTrustedIssuers(context);
        }
        else if (ssl.ServerCertificate is X509Certificate2 certificate)
        {
            ssl.ServerCertificateContext = handshakeTrust.AdvertisingTrustedIssuers(SslStreamCertificateContext.Create(certificate, null, offline: true));
            ssl.ServerCertificate = null;
        }
    }

    [LoggerMessage(EventId = EventIds.KestrelEndpointSettingOverridden, EventName = nameof(EventIds.KestrelEndpointSettingOverridden), Level = LogLevel.Warning, Message = "Kestrel endpoint {Endpoint}: {Setting} {Configured} overridden to {Enforced}; the gateway only runs mutual TLS 1.2/1.3")]
    private static partial void LogOverridden(ILogger logger, string endpoint, string setting, string configured, string enforced);
}
