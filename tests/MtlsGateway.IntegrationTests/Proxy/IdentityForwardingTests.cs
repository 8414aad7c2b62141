using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Loopback;

namespace MtlsGateway.IntegrationTests.Proxy;

/// <summary>The client's identity forwarded upstream per route, in Envoy's XFCC format or RFC 9440's.</summary>
public sealed class IdentityForwardingTests : GatewayPerTest
{
    private const string GatewayId = "spiffe://example.org/gateway";
    public IdentityForwardingTests()
        : base(new TestPki(serverUri: GatewayId), IdentityForwardingRoutes.AddTo([]))
    {
    }

    [Fact]
    public async Task Xfcc_carries_hash_subject_uri_and_dns_with_the_subject_escaped()
    {
        // A subject with a quote, a comma and a semicolon: the characters XFCC must escape.
        var certificate = pki.Root.Issue("CN=\"We;ird, \"\"Name\"\"\", O=Acme", profile =>
            profile.Uri("spiffe://example.org/ns/payments/sa/api").Dns("api.example.org", "api2.example.org"));
        var header = await ForwardedAsync("/xfcc/x", certificate, "X-Forwarded-Client-Cert", spoof: "Hash=00;Subject=\"CN=admin\"");

        var fields = ParseXfccElement(header);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(certificate.RawData)), Assert.Single(fields, f => f.Key == "Hash").Value);
        Assert.Equal(certificate.Subject, Assert.Single(fields, f => f.Key == "Subject").Value);
        Assert.Equal("spiffe://example.org/ns/payments/sa/api", Assert.Single(fields, f => f.Key == "URI").Value);
        Assert.Equal(["api.example.org", "api2.example.org"], fields.Where(f => f.Key == "DNS").Select(f => f.Value));
        Assert.Equal(GatewayId, Assert.Single(fields, f => f.Key == "By").Value);
        Assert.StartsWith("By=" + GatewayId + ";Hash=", header, StringComparison.Ordinal);
        Assert.Contains("Subject=\"CN=\\\"We;ird", header, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rfc9440_headers_parse_back_into_the_same_certificates()
    {
        using var issuing = await gateway.CreateIntermediateAsync(pki.Root, "CN=Issuing, O=Tests");
        var certificate = issuing.Issue("CN=rfc-client");
        var intermediate = issuing.PublicCertificate;

        using var client = gateway.CreateClient(certificate, [intermediate]);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/rfc/x");
        request.Headers.TryAddWithoutValidation("Client-Cert", ":AAAA:");
        request.Headers.TryAddWithoutValidation("Client-Cert-Chain", ":AAAA:");
        using var response = await client.SendAsync(request);
        var echo = await Echo.ReadAsync(response);

        Assert.Equal(certificate.RawData, ByteSequence(echo.Header("Client-Cert")!));
        var chain = echo.Header("Client-Cert-Chain")!.Split(',', StringSplitOptions.TrimEntries);
        Assert.Equal(intermediate.RawData, ByteSequence(Assert.Single(chain)));
    }

    [Fact]
    public async Task Rfc9440_omits_the_chain_when_the_client_sent_none()
    {
        var echo = await EchoOfAsync("/rfc/x", pki.Client("no-chain"));
        Assert.NotNull(echo.Header("Client-Cert"));
        Assert.Null(echo.Header("Client-Cert-Chain"));
    }

    [Theory]
    [InlineData("/none/x")]
    [InlineData("/rfc/x")]
    public async Task Spoofed_xfcc_is_removed_whatever_the_route_forwards(string path)
    {
        using var client = gateway.CreateClient(pki.Client("spoofer"));
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("X-Forwarded-Client-Cert", "Hash=00;Subject=\"CN=admin\"");
        request.Headers.TryAddWithoutValidation("X-Client-Cert", "admin");
        using var response = await client.SendAsync(request);
        var echo = await Echo.ReadAsync(response);
        Assert.Null(echo.Header("X-Forwarded-Client-Cert"));
        Assert.Null(echo.Header("X-Client-Cert"));
    }

    [Fact]
    public async Task None_forwards_no_identity()
    {
        var echo = await EchoOfAsync("/none/x", pki.Client("quiet"));
        Assert.Null(echo.Header("X-Forwarded-Client-Cert"));
        Assert.Null(echo.Header("Client-Cert"));
    }

    private async Task<string> ForwardedAsync(string path, X509Certificate2 certificate, string header, string spoof)
    {
        using var client = gateway.CreateClient(certificate);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation(header, spoof);
        using var response = await client.SendAsync(request);
        var value = (await Echo.ReadAsync(response)).Header(header);
        Assert.NotNull(value);
        Assert.DoesNotContain(spoof, value, StringComparison.Ordinal);
        return value!;
    }

    private async Task<EchoAnswer> EchoOfAsync(string path, X509Certificate2 certificate)
    {
        using var client = gateway.CreateClient(certificate);
        using var response = await client.GetAsync(path);
        return await Echo.ReadAsync(response);
    }

    private static byte[] ByteSequence(string value)
    {
        Assert.StartsWith(":", value, StringComparison.Ordinal);
        Assert.EndsWith(":", value, StringComparison.Ordinal);
        return Convert.FromBase64String(value[1..^1]);
    }

    /// <summary>An independent reading of one XFCC element: key=value pairs split on ';', values optionally quoted with backslash escapes.</summary>
    private static List<KeyValuePair<string, string>> ParseXfccElement(string element)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        var i = 0;
        while (i < element.Length)
        {
            var equals = element.IndexOf('=', i);
            var key = element[i..equals];
            i = equals + 1;
            var value = new StringBuilder();
            if (element[i] == '"')
            {
                for (i++; element[i] != '"'; i++)
                {
                    if (element[i] == '\\')
                    {
                        i++;
                    }

                    value.Append(element[i]);
                }

                i++;
            }
            else
            {
                for (; i < element.Length && element[i] != ';'; i++)
                {
                    value.Append(element[i]);
                }
            }

            pairs.Add(new(key, value.ToString()));
            Assert.True(i == element.Length || element[i] == ';', $"unexpected character at {i} in {element}");
            i++;
        }

        return pairs;
    }
}
