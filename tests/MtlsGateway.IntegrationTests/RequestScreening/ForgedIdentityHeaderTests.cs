using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Http;
using MtlsGateway.TestSupport.Loopback;
using MtlsGateway.TestSupport.Metrics;
using MtlsGateway.TestSupport.OpenSsl;

namespace MtlsGateway.IntegrationTests.RequestScreening;

/// <summary>
/// No forged identity reaches an upstream: a client sends the client-certificate headers of every common proxy
/// convention (Envoy, RFC 9440, nginx, HAProxy, Apache, Traefik, IIS/ARR, AWS, F5, Cloudflare, Jetty, WebLogic,
/// WebSphere), in odd cases, with underscores (which CGI-style upstreams read as hyphens), repeated, and folded over
/// several lines, over HTTP/1.1 and HTTP/2, to routes that forward XFCC, RFC 9440 or nothing. The echo upstream sees
/// none of them; it sees exactly the one identity the gateway sets.
/// </summary>
public sealed class ForgedIdentityHeaderTests : GatewayPerTest
{
    private const string Forged = "FORGED";
    private X509Certificate2 client = null!;
    private ClientCertificateFiles clientFiles = null!;

    /// <summary>Header names a client sends, each with a value that marks it as forged.</summary>
    private static readonly string[] ForgedNames =
    [
        "X-Forwarded-Client-Cert", "x-forwarded-client-cert", "X_Forwarded_Client_Cert", "x_FORWARDED-client_CERT",
        "Client-Cert", "Client-Cert-Chain", "client_cert", "CLIENT_CERT_CHAIN",
        "X-Client-Cert", "X-Client-Certificate", "X-Client-Cert-Present", "X-Client-Verify", "X-Client-DN",
        "X-SSL", "X-SSL-Client-Cert", "X-SSL-Client-Verify", "X-SSL-Client-S-DN", "X-SSL-Client-DN", "X-SSL-Issuer", "X_SSL_Client_Cert",
        "SSL_CLIENT_CERT", "Ssl-Client-Cert", "ssl-client-verify", "ssl_client_cert", "SSL_CLIENT_S_DN_CN",
        "X-Forwarded-Tls-Client-Cert", "X-Forwarded-Tls-Client-Cert-Info", "x_forwarded_tls_client_cert",
        "X-ARR-ClientCert", "X-ARR-SSL",
        "X-Amzn-Mtls-Clientcert", "X-Amzn-Mtls-Clientcert-Leaf", "X-Amzn-Mtls-Clientcert-Subject", "X-Amzn-Tls-Version",
        "SSLClientCert", "SSLClientCertStatus", "SSLClientCertSubject",
        "Cf-Cert-Verified", "cf-cert-subject-dn",
        "Proxy-Auth-Cert", "WL-Proxy-Client-Cert", "$WSCC",
        // Configured for this gateway (Gateway:ClientIdentityHeaders): a name and a prefix.
        "X-Partner-Identity", "x_partner_identity", "X-Mesh-Peer-Spiffe",
        // Not an identity header, but its name holds '_': dropped as nginx drops it.
        "X_Custom_Flag",
    ];

    public ForgedIdentityHeaderTests()
        : base(
            new TestPki(serverUri: "spiffe://example.org/gateway"),
            IdentityForwardingRoutes.AddTo(new Dictionary<string, string?>
            {
                ["Gateway:ClientIdentityHeaders:0"] = "X-Partner-Identity",
                ["Gateway:ClientIdentityHeaders:1"] = "X-Mesh-Peer-*",
                ["Logging:LogLevel:MtlsGateway.RequestScreening"] = "Debug",
            }))
    {
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        client = pki.Client("honest-client");
        clientFiles = new ClientCertificateFiles(pki.Root.Certificate, client);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        clientFiles?.Dispose();
        client?.Dispose();
    }

    public static TheoryData<string, HttpVersionChoice> RoutesAndVersions()
    {
        var data = new TheoryData<string, HttpVersionChoice>();
        foreach (var version in Enum.GetValues<HttpVersionChoice>())
        {
            foreach (var route in new[] { "/xfcc/x", "/rfc/x", "/none/x", "/anything" })
            {
                data.Add(route, version);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RoutesAndVersions))]
    public async Task No_forged_identity_header_reaches_the_upstream(string path, HttpVersionChoice version)
    {
        var headers = ForgedNames.Select((name, i) => $"{name}: {Forged}-{i}").ToList();
        var echo = await EchoOfAsync(path, version, headers);

        Assert.DoesNotContain(echo.Headers, header => header.Value.Contains(Forged, StringComparison.Ordinal));
        foreach (var name in ForgedNames)
        {
            var upstreamName = Normalised(name);
            // Names the gateway sets itself on that route (their values were checked above: none is the forged one).
            var gatewaySet = (path, upstreamName) is ("/xfcc/x", "X-FORWARDED-CLIENT-CERT") or ("/rfc/x", "CLIENT-CERT" or "CLIENT-CERT-CHAIN");
            Assert.True(gatewaySet || !echo.Headers.Keys.Any(key => Normalised(key) == upstreamName), $"{name} reached the upstream on {path} over {version}");
        }

        Assert.DoesNotContain(echo.Headers.Keys, key => key.Contains('_', StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(HttpVersionChoice.Http11)]
    [InlineData(HttpVersionChoice.Http2)]
    public async Task With_Xfcc_the_upstream_sees_exactly_one_element_the_gateways(HttpVersionChoice version)
    {
        // Forged elements in every spelling, repeated: with them kept, a forged one would come first.
        string[] headers =
        [
            "X-Forwarded-Client-Cert: By=spiffe://evil;Hash=00;Subject=\"CN=admin\"",
            "X-Forwarded-Client-Cert: Hash=11;Subject=\"CN=root\"",
            "x_forwarded_client_cert: Hash=22;Subject=\"CN=admin\"",
            "X_FORWARDED_CLIENT_CERT: Hash=33",
        ];
        var echo = await EchoOfAsync("/xfcc/x", version, headers);

        // One header under every spelling a CGI-style upstream merges (X_Forwarded_Client_Cert is its HTTP_X_FORWARDED_CLIENT_CERT too).
        Assert.Single(echo.Headers.Keys, key => Normalised(key) == "X-FORWARDED-CLIENT-CERT");
        var xfcc = echo.Header("X-Forwarded-Client-Cert");
        Assert.NotNull(xfcc);
        Assert.Equal(0, TopLevelCommas(xfcc!));
        Assert.Equal($"By=spiffe://example.org/gateway;Hash={Convert.ToHexStringLower(SHA256.HashData(client.RawData))};Subject=\"{client.Subject}\"", xfcc);
    }

    [Theory]
    [InlineData(HttpVersionChoice.Http11)]
    [InlineData(HttpVersionChoice.Http2)]
    public async Task With_Rfc9440_the_upstream_sees_only_the_gateways_Client_Cert(HttpVersionChoice version)
    {
        string[] headers = ["Client-Cert: :AAAA:", "Client-Cert: :BBBB:", "client_cert: :CCCC:", "Client-Cert-Chain: :DDDD:", "CLIENT_CERT_CHAIN: :EEEE:"];
        var echo = await EchoOfAsync("/rfc/x", version, headers);

        Assert.Single(echo.Headers.Keys, key => Normalised(key) == "CLIENT-CERT");
        Assert.Equal(":" + Convert.ToBase64String(client.RawData) + ":", echo.Header("Client-Cert"));
        // The chain is what the client sent in the handshake (curl's OpenSSL adds the root it trusts), never the forged one.
        Assert.Single(echo.Headers.Keys, key => Normalised(key) == "CLIENT-CERT-CHAIN");
        Assert.Equal(":" + Convert.ToBase64String(pki.Root.Certificate.RawData) + ":", echo.Header("Client-Cert-Chain"));
    }

    [Fact]
    public async Task A_header_folded_over_several_lines_is_refused_by_Kestrel_and_reaches_nothing()
    {
        // obs-fold (RFC 9112 5.2): a continuation line starting with white space. Kestrel answers 400 itself.
        var before = gateway.Upstream.Requests;
        var folded = await ExchangeAsync("X-Forwarded-Client-Cert: Hash=00;\r\n Subject=\"CN=admin\"\r\n");
        Assert.StartsWith("HTTP/1.1 400 ", folded, StringComparison.Ordinal);

        var tabFolded = await ExchangeAsync("X-SSL-Client-Cert: a\r\n\tb\r\n");
        Assert.StartsWith("HTTP/1.1 400 ", tabFolded, StringComparison.Ordinal);

        // White space between the name and the colon (RFC 9112 5.1): also a 400, so no upstream splits it differently.
        var spaced = await ExchangeAsync("X-Forwarded-Client-Cert : Hash=00\r\n");
        Assert.StartsWith("HTTP/1.1 400 ", spaced, StringComparison.Ordinal);

        // A look-alike of the name (U+2010 HYPHEN): not a token, refused.
        var lookalike = await ExchangeAsync("X\u2010Forwarded\u2010Client\u2010Cert: Hash=00\r\n");
        Assert.StartsWith("HTTP/1.1 400 ", lookalike, StringComparison.Ordinal);

        Assert.Equal(before, gateway.Upstream.Requests);
    }

    /// <summary>
    /// Names that look like identity headers to a person, or become one under Unicode compatibility mapping (NFKC):
    /// fullwidth letters, a Cyrillic 'х', U+2010 and U+2011 hyphens, a Kelvin sign, a trailing space or tab.
    /// </summary>
    private static readonly string[] LookalikeNames =
    [
        "\uFF58-ssl-client-cert", "x-\uFF53\uFF53\uFF4C-client-cert", "\u0445-ssl-client-cert", "x\u2010forwarded\u2010client\u2010cert",
        "x\u2011ssl\u2011client\u2011cert", "client\uFF0Dcert", "x-forwarded-\u212Aey", "x-ssl-client-cert ", "x-ssl-client-cert\t",
    ];

    public static TheoryData<string, HttpVersionChoice> LookalikesAndVersions()
    {
        var data = new TheoryData<string, HttpVersionChoice>();
        foreach (var version in Enum.GetValues<HttpVersionChoice>())
        {
            foreach (var name in LookalikeNames)
            {
                data.Add(name, version);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(LookalikesAndVersions))]
    public async Task A_lookalike_name_is_refused_or_reaches_the_upstream_as_no_identity_header(string name, HttpVersionChoice version)
    {
        // Kestrel refuses most of these itself (a header name is an ASCII token); whatever it lets through must not
        // arrive under a name that any upstream, folding case, '_', compatibility forms or white space, reads as an identity header.
        var before = gateway.Upstream.Requests;
        var response = await CurlClient.SendAsync(clientFiles, gateway.Address, "/xfcc/x", version, [$"{name}: {Forged}"]);
        if (response.Status != 200)
        {
            Assert.True(response.Status is 400 or 0, response.ToString());
            Assert.Equal(before, gateway.Upstream.Requests);
            return;
        }

        var echo = JsonSerializer.Deserialize<EchoAnswer>(response.Body, JsonSerializerOptions.Web)!;
        Assert.DoesNotContain(echo.Headers, header => header.Value.Contains(Forged, StringComparison.Ordinal));
        var identity = new[] { "X-SSL-CLIENT-CERT", "X-FORWARDED-CLIENT-CERT", "CLIENT-CERT" };
        Assert.DoesNotContain(echo.Headers.Keys, key => key.Any(c => c > '\u007e' || char.IsWhiteSpace(c)));
        Assert.Single(echo.Headers.Keys, key => identity.Contains(Normalised(key.Normalize(System.Text.NormalizationForm.FormKC).Trim())));
    }

    [Theory]
    [InlineData(HttpVersionChoice.Http11)]
    [InlineData(HttpVersionChoice.Http2)]
    public async Task A_large_forged_header_within_Kestrels_limits_is_removed_and_an_oversized_one_reaches_nothing(HttpVersionChoice version)
    {
        // 12 KiB: under Kestrel's HTTP/1.1 (32 KiB) and HTTP/2 (16 KiB per field) limits, so the screening removes it.
        var large = new string('A', 12 * 1024);
        var echo = await EchoOfAsync("/xfcc/x", version, [$"X-SSL-Client-Cert: {Forged}{large}", $"x_forwarded_client_cert: {Forged}{large}"]);
        Assert.DoesNotContain(echo.Headers, header => header.Value.Contains(Forged, StringComparison.Ordinal));
        Assert.Single(echo.Headers.Keys, key => Normalised(key) == "X-FORWARDED-CLIENT-CERT");

        // 96 KiB: Kestrel refuses the request (431 on HTTP/1.1; a reset stream or connection on HTTP/2) before any middleware.
        var before = gateway.Upstream.Requests;
        var oversized = await CurlClient.SendAsync(clientFiles, gateway.Address, "/xfcc/x", version, [$"X-Forwarded-Client-Cert: {Forged}{new string('A', 96 * 1024)}"]);
        Assert.True(oversized.Status is 431 or 400 or 0, oversized.ToString());
        Assert.Equal(before, gateway.Upstream.Requests);
    }

    [Theory]
    [InlineData(HttpVersionChoice.Http11)]
    [InlineData(HttpVersionChoice.Http2)]
    public async Task Many_forged_headers_are_all_removed(HttpVersionChoice version)
    {
        // Close to Kestrel's default of 100 request headers: every one is removed, none slips through past a count.
        var headers = Enumerable.Range(0, 90).Select(i => i % 2 == 0 ? $"X-SSL-Client-F{i}: {Forged}" : $"x_header_{i}: {Forged}").ToList();
        var echo = await EchoOfAsync("/none/x", version, headers);
        Assert.DoesNotContain(echo.Headers, header => header.Value.Contains(Forged, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Raw_HTTP11_with_the_forged_headers_reaches_the_upstream_without_them()
    {
        // Byte for byte, past any client library's own header handling.
        var headers = string.Concat(ForgedNames.Select((name, i) => $"{name}: {Forged}-{i}\r\n"));
        var response = await ExchangeAsync(headers, "/none/x");
        Assert.StartsWith("HTTP/1.1 200 ", response, StringComparison.Ordinal);
        var body = response[response.IndexOf("\r\n\r\n", StringComparison.Ordinal)..];
        Assert.DoesNotContain(Forged, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_removal_is_counted_by_reason_and_logged_at_debug_only()
    {
        using var removed = new CounterRecorder(gateway.Services.GetRequiredService<IMeterFactory>(), "mtlsgateway.request_headers.removed");
        await EchoOfAsync("/none/x", HttpVersionChoice.Http11, ["X-SSL-Client-Cert: forged", "X_SSL_Client_DN: forged", "X_Custom_Flag: 1", "X_Other: 2"]);

        Assert.Equal(2, removed.Count("reason", "client-identity"));
        Assert.Equal(2, removed.Count("reason", "underscore"));
        var logged = gateway.Logs.Events.Where(e => e.EventId.Name == "RequestHeaderRemoved").ToList();
        Assert.Contains(logged, e => Equals(e.Fields["Header"], "X_Custom_Flag") && Equals(e.Fields["Reason"], "underscore"));
        Assert.Contains(logged, e => Equals(e.Fields["Header"], "X_SSL_Client_DN") && Equals(e.Fields["Reason"], "client-identity"));
        Assert.All(logged, e => Assert.Equal(LogLevel.Debug, e.Level));
    }

    [Fact]
    public async Task Allowing_underscores_forwards_them_but_never_an_identity_header()
    {
        await using var permissive = await TestGateway.StartAsync(pki, new Dictionary<string, string?> { ["Gateway:AllowUnderscoresInHeaderNames"] = "true" });
        var response = await CurlClient.SendAsync(clientFiles, permissive.Address, "/x", HttpVersionChoice.Http11, ["X_Custom_Flag: kept", "X_Forwarded_Client_Cert: Hash=00", "ssl_client_cert: forged"]);
        Assert.True(response.Status == 200, response.ToString());
        var echo = JsonSerializer.Deserialize<EchoAnswer>(response.Body, JsonSerializerOptions.Web)!;
        Assert.Equal("kept", echo.Header("X_Custom_Flag"));
        Assert.Null(echo.Header("X_Forwarded_Client_Cert"));
        Assert.Null(echo.Header("ssl_client_cert"));
    }

    private async Task<EchoAnswer> EchoOfAsync(string path, HttpVersionChoice version, IEnumerable<string> headers)
    {
        var response = await CurlClient.SendAsync(clientFiles, gateway.Address, path, version, headers);
        Assert.True(response.Status == 200, $"expected 200 from the upstream, got {response}");
        var answer = JsonSerializer.Deserialize<EchoAnswer>(response.Body, JsonSerializerOptions.Web);
        Assert.Equal(EchoAnswer.Name, answer?.Upstream);
        Assert.Equal(version == HttpVersionChoice.Http2 ? "2" : "1.1", response.HttpVersion);
        return answer!;
    }

    private Task<string> ExchangeAsync(string headerLines, string path = "/xfcc/x") =>
        OpenSslHttpClient.ExchangeAsync(clientFiles, gateway.Address, $"GET {path} HTTP/1.1\r\nHost: localhost\r\n{headerLines}Connection: close\r\n\r\n");

    /// <summary>A header name as CGI-style upstreams read it: upper case, '_' as '-'.</summary>
    private static string Normalised(string name) => name.ToUpperInvariant().Replace('_', '-');

    /// <summary>Commas outside quoted strings: the separators between XFCC elements.</summary>
    private static int TopLevelCommas(string value)
    {
        var (commas, quoted, escaped) = (0, false, false);
        foreach (var c in value)
        {
            if (escaped)
            {
                escaped = false;
            }
            else if (c == '\\' && quoted)
            {
                escaped = true;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                commas++;
            }
        }

        return commas;
    }
}
