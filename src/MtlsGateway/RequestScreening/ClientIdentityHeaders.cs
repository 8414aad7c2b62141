using System.Collections.Frozen;

namespace MtlsGateway.RequestScreening;

/// <summary>
/// Headers that carry a client's certificate or facts about its TLS connection to an upstream: only the gateway may
/// set them (<c>ForwardClientCert</c>, YARP's ClientCert transform), so a client's copies are removed before anything
/// reads them. Names compare as <see cref="HeaderNameComparer"/> does; a name ending in '*' is a prefix.
/// </summary>
internal sealed class ClientIdentityHeaders
{
    /// <summary>The conventions of common proxies and load balancers for a client certificate, its fields and its TLS connection.</summary>
    public static readonly IReadOnlyList<string> BuiltIn =
    [
        // Envoy and Istio.
        "X-Forwarded-Client-Cert",
        // RFC 9440.
        "Client-Cert",
        "Client-Cert-Chain",
        // nginx and HAProxy configurations (X-SSL-Client-Cert, -DN, -Verify, X-SSL-Issuer...), Puppet's X-Client-Verify and
        // X-Client-DN, Google Cloud load balancers' and Azure's X-Client-Cert-*.
        "X-SSL",
        "X-SSL-*",
        "X-Client-Cert*",
        "X-Client-Verify",
        "X-Client-DN",
        // Apache mod_ssl variables forwarded as headers (SSL_CLIENT_CERT, SSL_CLIENT_S_DN...), ingress-nginx's
        // ssl-client-cert and ssl-client-verify, Tomcat's SSLValve (ssl_client_cert).
        "Ssl-Client-*",
        // Traefik's PassTLSClientCert (-Info; -Infos in 1.x).
        "X-Forwarded-Tls-Client-Cert*",
        // IIS Application Request Routing and Azure App Service.
        "X-ARR-ClientCert",
        "X-ARR-SSL",
        // AWS Application Load Balancer (X-Amzn-Mtls-Clientcert, -Leaf, -Subject...; X-Amzn-Tls-Version, -Cipher-Suite).
        "X-Amzn-Mtls-*",
        "X-Amzn-Tls-*",
        // F5 BIG-IP (SSLClientCert, SSLClientCertStatus, SSLClientCertSubject..., SSLClientSessionId).
        "SSLClient*",
        // Cloudflare's TLS client auth headers (cf-cert-verified, cf-cert-subject-dn...).
        "Cf-Cert-*",
        // Jetty's ForwardedRequestCustomizer, WebLogic's proxy plug-in, WebSphere's private headers ($WSCC, $WSIS...).
        "Proxy-Auth-Cert",
        "Proxy-Ssl-Id",
        "WL-Proxy-Client-Cert",
        "WL-Proxy-SSL",
        "$WS*",
    ];

    private readonly FrozenSet<string> exact;
    private readonly string[] prefixes;

    /// <param name="configured">More names (or prefixes ending in '*') from <c>Gateway:ClientIdentityHeaders</c>.</param>
    public ClientIdentityHeaders(IEnumerable<string> configured)
    {
        var all = BuiltIn.Concat(configured).ToList();
        exact = all.Where(name => !name.EndsWith('*')).ToFrozenSet(HeaderNameComparer.Instance);
        prefixes = [.. all.Where(name => name.EndsWith('*')).Select(name => name[..^1]).Distinct(HeaderNameComparer.Instance)];
    }

    public bool Contains(string headerName)
    {
        ArgumentNullException.ThrowIfNull(headerName);
        if (exact.Contains(headerName))
        {
            return true;
        }

        foreach (var prefix in prefixes)
        {
            if (HeaderNameComparer.StartsWith(headerName, prefix))
            {
                return true;
            }
        }

        return false;
    }
}
