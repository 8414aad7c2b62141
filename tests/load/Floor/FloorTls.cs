using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace MtlsGateway.LoadFloor;

/// <summary>
/// The floor's mutual TLS, built like the gateway's handshake: a client certificate is required and accepted, and
/// SslStream's own chain build is confined to the CA (no OS store, no downloads), with the CA named in the
/// CertificateRequest. No validation beyond that.
/// </summary>
internal sealed class FloorTls
{
    private readonly X509ChainPolicy chainPolicy;
    private readonly SslStreamCertificateContext context;
    private readonly bool allowTlsResume;

    public FloorTls(FloorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ServerCertificate = X509Certificate2.CreateFromPemFile(options.CertificatePath, options.KeyPath);
        var ca = X509CertificateLoader.LoadCertificateFromFile(options.CaPath);
        chainPolicy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        chainPolicy.CustomTrustStore.Add(ca);
        context = SslStreamCertificateContext.Create(
            ServerCertificate,
            additionalCertificates: null,
            offline: true,
            trust: options.AdvertiseCaNames ? SslCertificateTrust.CreateForX509Collection([ca], sendTrustInHandshake: true) : null);
        allowTlsResume = options.AllowTlsResume;
    }

    public X509Certificate2 ServerCertificate { get; }

    public void Apply(HttpsConnectionAdapterOptions https)
    {
        ArgumentNullException.ThrowIfNull(https);
        https.ServerCertificate = ServerCertificate;
        https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
        https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
        https.CheckCertificateRevocation = false;
        https.ClientCertificateValidation = (_, _, _) => true;
        https.OnAuthenticate = OnAuthenticate;
    }

    private void OnAuthenticate(ConnectionContext connection, SslServerAuthenticationOptions ssl)
    {
        ssl.ClientCertificateRequired = true;
        ssl.CertificateRevocationCheckMode = X509RevocationMode.NoCheck;
        // A copy per handshake, as the gateway does: SslStream adds the certificates the client sent to its extra store.
        ssl.CertificateChainPolicy = chainPolicy.Clone();
        ssl.ServerCertificateContext = context;
        ssl.ServerCertificate = null;
        ssl.AllowTlsResume = allowTlsResume;
    }
}
