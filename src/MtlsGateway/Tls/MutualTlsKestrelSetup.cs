using System.Globalization;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;
using MtlsGateway.ClientCertificates;
using MtlsGateway.Telemetry;
using MtlsGateway.Tls.Handshakes;

namespace MtlsGateway.Tls;

/// <summary>
/// Makes every endpoint from <c>Kestrel:Endpoints</c> a mutual-TLS endpoint, whatever its own settings say: the
/// handshake asks every client for a certificate (advertising the trusted CAs), only TLS 1.2 and 1.3 are offered,
/// renegotiation is off, and HTTP/1.1 and HTTP/2 are served. A client that sends no certificate completes the
/// handshake (<see cref="ClientCertificateMode.AllowCertificate"/>) so that it gets an answer: the validation
/// middleware refuses each of its requests with <c>403 certificate-required</c>. Every endpoint also gets the
/// <see cref="TlsConnectionGuard"/> in front of its TLS middleware.
/// </summary>
internal sealed partial class MutualTlsKestrelSetup(
    IConfiguration configuration,
    ClientConnectionRegistry connections,
    HandshakeTrust handshakeTrust,
    HandshakeObservations observations,
    TlsConnectionGuard guard,
    IOptionsMonitor<ClientCertificateOptions> clientCertificates,
    GatewayMetrics metrics,
    ILogger<MutualTlsKestrelSetup> logger) : IConfigureOptions<KestrelServerOptions>
{
    public const SslProtocols AllowedProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    private readonly Settings.LastGoodOptions<ClientCertificateOptions> lastGoodClientCertificates = new(clientCertificates);

    public void Configure(KestrelServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddServerHeader = false;
        options.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http1AndHttp2);
        options.ConfigureHttpsDefaults(Enforce);

        // Endpoint settings from configuration override the defaults above, so they are enforced again per endpoint.
        // Not reloaded on change: a reload would bypass the start-up checks (see KestrelSettingsChangeNotice).
        var loader = options.Configure(configuration.GetSection("Kestrel"), reloadOnChange: false);
        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            var name = endpoint.Key;
            loader.Endpoint(name, configured =>
            {
                // Require and Allow both ask for a certificate in the handshake; Allow is enforced so that a client
                // without one gets an answer, and the middleware refuses its requests.
                if (configured.HttpsOptions.ClientCertificateMode is not (ClientCertificateMode.RequireCertificate or ClientCertificateMode.AllowCertificate))
                {
                    LogOverridden(logger, name, "ClientCertificateMode", configured.HttpsOptions.ClientCertificateMode.ToString(), nameof(ClientCertificateMode.AllowCertificate));
                }

                if ((configured.HttpsOptions.SslProtocols & ~AllowedProtocols) != SslProtocols.None)
                {
                    LogOverridden(logger, name, "SslProtocols", configured.HttpsOptions.SslProtocols.ToString(), AllowedProtocols.ToString());
                }

                Enforce(configured.HttpsOptions);

                // Added here, the guard comes before the TLS middleware Kestrel adds after this callback.
                configured.ListenOptions.Use(guard.Wrap);
            });
        }
    }

    private void Enforce(HttpsConnectionAdapterOptions https)
    {
        https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
        var protocols = https.SslProtocols & AllowedProtocols;
        https.SslProtocols = protocols == SslProtocols.None ? AllowedProtocols : protocols;
        https.CheckCertificateRevocation = false;
        https.ClientCertificateValidation = RecordHandshake;
        https.OnAuthenticate = OnAuthenticate;
    }

    /// <summary>
    /// Kestrel's ClientCertificateValidation callback. It refuses a chain that is too long before anything of the
    /// gateway's builds a chain, and records what the client sent; the middleware judges it.
    /// </summary>
    private bool RecordHandshake(X509Certificate2 certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        metrics.HandshakeWithClientCertificate();
        var observation = observations.Current;
        var sent = chain?.ChainPolicy.ExtraStore.Skip(observation?.ConfiguredExtraCertificates ?? 0).ToArray() ?? [];
        if (observation is not null)
        {
            // The DER stays valid after SslStream disposes the certificate: RawDataMemory is the certificate's own copy.
            observation.CallbackCertificate = certificate.RawDataMemory;
        }

        var max = lastGoodClientCertificates.Current.MaxChainCertificates;
        if (sent.Length + 1 > max)
        {
            observation?.Refuse(
                HandshakeFailureReason.TooManyCertificates,
                string.Create(CultureInfo.InvariantCulture, $"the client sent {sent.Length + 1} certificates, more than {max} (MaxChainCertificates)"));
            return false;
        }

        // Without an observation the connection did not pass the guard; judging it as a resumed session is the safe side.
        return connections.RecordHandshake(certificate, sent, resumed: observation?.Resumed ?? true);
    }

    private void OnAuthenticate(ConnectionContext connection, SslServerAuthenticationOptions ssl)
    {
        ssl.ClientCertificateRequired = true;
        ssl.AllowRenegotiation = false;
        ssl.CertificateRevocationCheckMode = X509RevocationMode.NoCheck;
        ssl.CertificateChainPolicy = handshakeTrust.NewHandshakeChainPolicy();
        if (connection.Features.Get<HandshakeObservation>() is { } observation)
        {
            observation.ConfiguredExtraCertificates = ssl.CertificateChainPolicy.ExtraStore.Count;
        }

        if (ssl.ServerCertificateContext is { } context)
        {
            ssl.ServerCertificateContext = handshakeTrust.AdvertisingTrustedIssuers(context);
        }
        else if (ssl.ServerCertificate is X509Certificate2 certificate)
        {
            ssl.ServerCertificateContext = handshakeTrust.AdvertisingTrustedIssuers(certificate);
            ssl.ServerCertificate = null;
        }
    }

    [LoggerMessage(EventId = EventIds.KestrelEndpointSettingOverridden, EventName = nameof(EventIds.KestrelEndpointSettingOverridden), Level = LogLevel.Warning, Message = "Kestrel endpoint {Endpoint}: {Setting} {Configured} overridden to {Enforced}; the gateway only runs mutual TLS 1.2/1.3")]
    private static partial void LogOverridden(ILogger logger, string endpoint, string setting, string configured, string enforced);
}
