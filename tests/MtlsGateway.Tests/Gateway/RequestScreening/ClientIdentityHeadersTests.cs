using MtlsGateway.RequestScreening;

namespace MtlsGateway.Tests.Gateway.RequestScreening;

public sealed class ClientIdentityHeadersTests
{
    private readonly ClientIdentityHeaders headers = new(["X-Partner-Identity", "X-Mesh-Peer-*"]);

    [Theory]
    [InlineData("X-Forwarded-Client-Cert")]
    [InlineData("x-forwarded-client-cert")]
    [InlineData("X_Forwarded_Client_Cert")]
    [InlineData("x_FORWARDED-client_CERT")]
    [InlineData("Client-Cert")]
    [InlineData("client_cert_chain")]
    [InlineData("X-Client-Cert")]
    [InlineData("X-Client-Certificate")]
    [InlineData("X-Client-Cert-Present")]
    [InlineData("X-SSL-Client-Cert")]
    [InlineData("X-SSL-Client-S-DN")]
    [InlineData("x-ssl-issuer")]
    [InlineData("X-SSL")]
    [InlineData("X-Client-Verify")]
    [InlineData("X-Client-DN")]
    [InlineData("SSL_CLIENT_CERT")]
    [InlineData("ssl-client-verify")]
    [InlineData("Ssl-Client-Subject-DN")]
    [InlineData("X-Forwarded-Tls-Client-Cert")]
    [InlineData("X-Forwarded-Tls-Client-Cert-Info")]
    [InlineData("X-Forwarded-Tls-Client-Cert-Infos")]
    [InlineData("X-ARR-ClientCert")]
    [InlineData("x-arr-ssl")]
    [InlineData("X-Amzn-Mtls-Clientcert")]
    [InlineData("X-Amzn-Mtls-Clientcert-Leaf")]
    [InlineData("X-Amzn-Tls-Version")]
    [InlineData("SSLClientCert")]
    [InlineData("SSLClientCertStatus")]
    [InlineData("sslclientsessionid")]
    [InlineData("cf-cert-verified")]
    [InlineData("Proxy-auth-cert")]
    [InlineData("WL-Proxy-Client-Cert")]
    [InlineData("$WSCC")]
    [InlineData("X-Partner-Identity")]
    [InlineData("x_partner_identity")]
    [InlineData("X-Mesh-Peer-Spiffe")]
    public void Identity_headers_are_recognised_in_any_case_and_with_underscores(string name) => Assert.True(headers.Contains(name));

    [Theory]
    [InlineData("Host")]
    [InlineData("Accept")]
    [InlineData("Authorization")]
    [InlineData("X-Client-Id")]
    [InlineData("X-Client-Version")]
    [InlineData("X-Forwarded-For")]
    [InlineData("X-SSLX")]
    [InlineData("Client-Certs")]
    [InlineData("X-Forwarded-Client-Cert2")]
    [InlineData("X-Partner-Identity-Extra")]
    [InlineData("X-Mesh-Peer")]
    public void Other_headers_are_not(string name) => Assert.False(headers.Contains(name));

    [Fact]
    public void Names_compare_as_upstreams_read_them()
    {
        Assert.True(HeaderNameComparer.Instance.Equals("X-A_b", "x_a-B"));
        Assert.Equal(HeaderNameComparer.Instance.GetHashCode("X-A_b"), HeaderNameComparer.Instance.GetHashCode("x_a-B"));
        Assert.False(HeaderNameComparer.Instance.Equals("X-Ab", "X-Ab-"));
        Assert.True(HeaderNameComparer.StartsWith("x_ssl_client_dn", "X-SSL-"));
    }
}
