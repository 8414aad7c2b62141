using System.Diagnostics.Metrics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Http;
using MtlsGateway.TestSupport.Loopback;
using MtlsGateway.TestSupport.Metrics;

namespace MtlsGateway.IntegrationTests.RequestScreening;

/// <summary>
/// The route that judges a request is the route that forwards it. Route <c>pay</c> (<c>/pay/{**rest}</c>) admits only
/// OU=payments; a catch-all route without a policy forwards everything else to the same upstream. A client with
/// OU=marketing tries every spelling of a path that an upstream may read as <c>/pay/...</c> while the gateway routes
/// it elsewhere (empty and dot segments, encoded separators, backslashes, path parameters, NUL, double and overlong
/// encodings, fragments, absolute-form), sent raw by curl over HTTP/1.1 and HTTP/2 and by .NET's HttpClient over
/// HTTP/2. Each is refused with 400 before routing, and nothing reaches the upstream; legitimate paths still get
/// through, and the upstream receives the path the route matched.
/// </summary>
public sealed class AmbiguousPathTests : GatewayPerTest
{
    private const string ProblemType = "urn:mtlsgateway:problem:ambiguous-path";

    private X509Certificate2 marketing = null!;
    private X509Certificate2 payments = null!;
    private ClientCertificateFiles marketingFiles = null!;
    private ClientCertificateFiles paymentsFiles = null!;

    public static TheoryData<string, string, HttpVersionChoice> AmbiguousTargets()
    {
        var data = new TheoryData<string, string, HttpVersionChoice>();
        foreach (var version in Enum.GetValues<HttpVersionChoice>())
        {
            foreach (var (target, reason) in Ambiguous)
            {
                data.Add(target, reason, version);
            }
        }

        return data;
    }

    /// <summary>Each spelling, and the reason the gateway gives for refusing it.</summary>
    private static readonly (string Target, string Reason)[] Ambiguous =
    [
        // Empty segments: many upstreams (and nginx's merge_slashes) read //pay/x as /pay/x.
        ("//pay/x", "empty-segment"),
        ("///pay/x", "empty-segment"),
        ("/pay//x", "empty-segment"),
        ("//pay/x?q=1", "empty-segment"),

        // Dot segments, raw and percent-encoded in every case mix.
        ("/x/../pay/x", "dot-segment"),
        ("/./pay/x", "dot-segment"),
        ("/pay/x/..", "dot-segment"),
        ("/%2e/pay/x", "dot-segment"),
        ("/%2E/pay/x", "dot-segment"),
        ("/x/%2e%2e/pay/x", "dot-segment"),
        ("/x/%2E%2E/pay/x", "dot-segment"),
        ("/x/.%2e/pay/x", "dot-segment"),
        ("/x/%2e./pay/x", "dot-segment"),

        // Encoded separators: upstreams that decode %2F or %5C before routing serve /pay/x.
        ("/%2Fpay/x", "encoded-separator"),
        ("/%2fpay/x", "encoded-separator"),
        ("/pay%2Fx", "encoded-separator"),
        ("/%5Cpay/x", "encoded-separator"),
        ("/%5cpay/x", "encoded-separator"),
        ("/x/..%2Fpay/x", "encoded-separator"),

        // A raw backslash: Windows servers and some frameworks read it as a slash.
        ("/\\pay/x", "backslash"),
        ("/pay\\x", "backslash"),

        // Path parameters: Tomcat, Jetty and others drop ";..." from a segment; %3B decodes to one.
        ("/pay;x/y", "path-parameter"),
        ("/pay/x;jsessionid=1", "path-parameter"),
        ("/pay%3Bx/y", "path-parameter"),
        ("/pay%3bx/y", "path-parameter"),
        ("/pay/..;/x", "path-parameter"),

        // Control characters (NUL itself is refused by Kestrel before any middleware: see below).
        ("/pay/x%01", "control-character"),
        ("/pay/x%0A", "control-character"),
        ("/pay/x%7F", "control-character"),

        // Double encoding: an upstream that decodes twice reads %252F as /.
        ("/%252Fpay/x", "double-encoding"),
        ("/%252fpay/x", "double-encoding"),
        ("/%25%32%46pay/x", "double-encoding"),
        ("/pay/%252e%252e/x", "double-encoding"),

        // Overlong and otherwise invalid UTF-8: %C0%AF is an overlong '/', %C0%AE an overlong '.'.
        ("/%C0%AFpay/x", "invalid-utf8"),
        ("/%c0%afpay/x", "invalid-utf8"),
        ("/x/%C0%AE%C0%AE/pay/x", "invalid-utf8"),
        ("/%E0%80%AFpay/x", "invalid-utf8"),
        ("/%ED%A0%80/pay/x", "invalid-utf8"),
        ("/pay/%FF", "invalid-utf8"),

        // Characters that Unicode compatibility mapping (NFKC, Windows best fit) turns into / \ . ;
        ("/%EF%BC%8Fpay/x", "lookalike-character"),
        ("/x/%EF%BC%8E%EF%BC%8E/pay/x", "lookalike-character"),
        ("/pay%EF%BC%9Bx/y", "lookalike-character"),

        // The query and fragment boundary: a fragment is never part of a request target; an encoded ? or # in the
        // path is where an upstream that decodes the whole target first would cut the path.
        ("/pay/x#frag", "fragment"),
        ("//pay/x#", "fragment"),
        ("/x?q=a#b", "fragment"),
        ("/pay%3Fx/y", "encoded-delimiter"),
        ("/pay%23x/y", "encoded-delimiter"),

        // Escapes that are not escapes: Kestrel passes them on, YARP re-encodes the '%'.
        ("/pay/%ZZ", "malformed-escape"),
        ("/pay/x%2", "malformed-escape"),
        ("/%u002fpay/x", "malformed-escape"),

        // Characters RFC 3986 does not allow in a path, sent raw.
        ("/pay/{x}", "invalid-character"),
        ("/pay/x|y", "invalid-character"),
        ("/pay/<x>", "invalid-character"),
        ("/pay/x^y", "invalid-character"),
        ("/pay/\"x\"", "invalid-character"),
    ];

    public AmbiguousPathTests()
        : base(settings: new Dictionary<string, string?>
        {
            ["Gateway:Authorization:Policies:payments:Allow:0:OrganizationalUnits:0"] = "payments",
            ["ReverseProxy:Routes:pay:ClusterId"] = "upstream",
            ["ReverseProxy:Routes:pay:Match:Path"] = "/pay/{**rest}",
            ["ReverseProxy:Routes:pay:AuthorizationPolicy"] = "payments",
            // Each route names itself to the upstream, so a test sees which route forwarded a request.
            ["ReverseProxy:Routes:pay:Transforms:0:RequestHeader"] = "X-Route",
            ["ReverseProxy:Routes:pay:Transforms:0:Set"] = "pay",
            ["ReverseProxy:Routes:all:Transforms:0:RequestHeader"] = "X-Route",
            ["ReverseProxy:Routes:all:Transforms:0:Set"] = "all",
        })
    {
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        marketing = pki.Root.Issue("CN=marketing-app, OU=marketing, O=Tests");
        payments = pki.Root.Issue("CN=payments-app, OU=payments, O=Tests");
        marketingFiles = new ClientCertificateFiles(pki.Root.Certificate, marketing);
        paymentsFiles = new ClientCertificateFiles(pki.Root.Certificate, payments);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        marketingFiles?.Dispose();
        paymentsFiles?.Dispose();
        marketing?.Dispose();
        payments?.Dispose();
    }

    [Theory]
    [MemberData(nameof(AmbiguousTargets))]
    public async Task An_ambiguous_spelling_is_refused_before_routing_and_reaches_no_upstream(string target, string reason, HttpVersionChoice version)
    {
        var before = gateway.Upstream.Requests;
        var response = await CurlClient.SendAsync(marketingFiles, gateway.Address, target, version);
        AssertAmbiguous(response, reason);
        Assert.Equal(before, gateway.Upstream.Requests);
    }

    [Fact]
    public async Task The_same_spellings_are_refused_from_the_client_the_policy_admits()
    {
        // Refused for what the path is, not for who asks: the payments client gets no way around the rule either.
        foreach (var version in Enum.GetValues<HttpVersionChoice>())
        {
            foreach (var target in new[] { "//pay/x", "/pay;x/y", "/%2Fpay/x", "/x/%2e%2e/pay/x" })
            {
                var response = await CurlClient.SendAsync(paymentsFiles, gateway.Address, target, version);
                Assert.True(response.Status == 400, $"{target} over {version}: {response}");
            }
        }
    }

    [Fact]
    public async Task HttpClient_over_HTTP2_gets_the_same_refusals()
    {
        using var client = gateway.CreateClient(marketing);
        var sent = 0;
        foreach (var (target, reason) in Ambiguous)
        {
            // HttpClient sends what the Uri holds; without canonicalization it keeps dots, escapes and backslashes.
            var uri = new Uri(gateway.Address.GetLeftPart(UriPartial.Authority) + target, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
            if (uri.PathAndQuery != target)
            {
                continue; // a fragment: HttpClient never sends one
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, uri) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpVersion.Version20, response.Version);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{target}: {(int)response.StatusCode} {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(reason, JsonDocument.Parse(body).RootElement.GetProperty("reason").GetString());
            sent++;
        }

        Assert.True(sent >= Ambiguous.Length - 4, $"only {sent} of {Ambiguous.Length} spellings went out as written");
    }

    [Theory]
    [InlineData("//pay/x", "empty-segment")]
    [InlineData("/%2Fpay/x", "encoded-separator")]
    [InlineData("/x/%2e%2e/pay/x", "dot-segment")]
    [InlineData("/pay;x/y", "path-parameter")]
    public async Task Absolute_form_targets_are_judged_by_their_path(string path, string reason)
    {
        // Kestrel decodes %2F in an absolute-form target (the upstream would get //pay/x); HTTP/1.1 only, as HTTP/2 has no absolute form.
        var target = gateway.Address.GetLeftPart(UriPartial.Authority) + path;
        var before = gateway.Upstream.Requests;
        AssertAmbiguous(await CurlClient.SendAsync(marketingFiles, gateway.Address, target, HttpVersionChoice.Http11), reason);
        Assert.Equal(before, gateway.Upstream.Requests);
    }

    [Fact]
    public async Task An_absolute_form_target_is_routed_by_its_path()
    {
        var target = gateway.Address.GetLeftPart(UriPartial.Authority) + "/pay/x";
        var refused = await CurlClient.SendAsync(marketingFiles, gateway.Address, target, HttpVersionChoice.Http11);
        Assert.Equal("forbidden", Problem(refused, 403).GetProperty("reason").GetString());

        var admitted = await CurlClient.SendAsync(paymentsFiles, gateway.Address, target, HttpVersionChoice.Http11);
        var echo = EchoOf(admitted);
        Assert.Equal("pay", echo.Header("X-Route"));
        Assert.Equal("/pay/x", echo.RawTarget);
    }

    [Fact]
    public async Task An_absolute_form_path_pseudo_header_never_reaches_the_upstream()
    {
        // Kestrel resets the HTTP/2 stream itself: :path must be origin-form.
        var before = gateway.Upstream.Requests;
        var response = await CurlClient.SendAsync(marketingFiles, gateway.Address, gateway.Address.GetLeftPart(UriPartial.Authority) + "//pay/x", HttpVersionChoice.Http2);
        Assert.NotEqual(200, response.Status);
        Assert.Equal(before, gateway.Upstream.Requests);
    }

    [Theory]
    [InlineData(HttpVersionChoice.Http11)]
    [InlineData(HttpVersionChoice.Http2)]
    public async Task The_asterisk_form_is_refused_rather_than_forwarded_as_the_root(HttpVersionChoice version)
    {
        // Without the check, OPTIONS * reached the upstream as OPTIONS / through the catch-all route.
        var before = gateway.Upstream.Requests;
        AssertAmbiguous(await CurlClient.SendAsync(marketingFiles, gateway.Address, "*", version, method: "OPTIONS"), "not-origin-form");
        Assert.Equal(before, gateway.Upstream.Requests);
    }

    [Theory]
    [InlineData(HttpVersionChoice.Http11, "/pay/%00")]
    [InlineData(HttpVersionChoice.Http2, "/pay/%00")]
    [InlineData(HttpVersionChoice.Http11, "/%00/pay/x")]
    [InlineData(HttpVersionChoice.Http2, "/%00/pay/x")]
    [InlineData(HttpVersionChoice.Http11, "/pay/caf\u00e9")]
    public async Task Kestrel_itself_refuses_NUL_and_raw_non_ASCII_in_the_request_line(HttpVersionChoice version, string target)
    {
        // HTTP/1.1: a bare 400 from Kestrel; HTTP/2: the stream is reset (PROTOCOL_ERROR). Nothing reaches the upstream.
        var before = gateway.Upstream.Requests;
        var response = await CurlClient.SendAsync(marketingFiles, gateway.Address, target, version);
        Assert.True(response.Status is 400 or 0, response.ToString());
        Assert.Equal(before, gateway.Upstream.Requests);
    }

    [Fact]
    public async Task Raw_non_ASCII_in_an_HTTP2_path_is_refused_by_the_gateway()
    {
        // Kestrel's HTTP/2 :path accepts raw UTF-8 (its HTTP/1.1 request line does not): the gateway refuses it.
        AssertAmbiguous(await CurlClient.SendAsync(marketingFiles, gateway.Address, "/pay/caf\u00e9", HttpVersionChoice.Http2), "invalid-character");
        AssertAmbiguous(await CurlClient.SendAsync(marketingFiles, gateway.Address, "/pay/a b", HttpVersionChoice.Http2), "invalid-character");
    }

    public static TheoryData<string, string, string, HttpVersionChoice> LegitimateTargets()
    {
        var data = new TheoryData<string, string, string, HttpVersionChoice>();
        foreach (var version in Enum.GetValues<HttpVersionChoice>())
        {
            // target sent, route expected, request target the upstream receives
            data.Add("/pay/x", "pay", "/pay/x", version);
            data.Add("/pay", "pay", "/pay", version);
            data.Add("/pay/x/", "pay", "/pay/x/", version);
            data.Add("/pay/a%20b", "pay", "/pay/a%20b", version);
            data.Add("/pay/%41%62%7E%2D%5F%2E%30", "pay", "/pay/Ab~-_.0", version);
            data.Add("/pay/%2Ejson", "pay", "/pay/.json", version);
            data.Add("/pay/v1.2/file.json", "pay", "/pay/v1.2/file.json", version);
            data.Add("/pay/...", "pay", "/pay/...", version);
            data.Add("/pay/100%25", "pay", "/pay/100%25", version);
            data.Add("/pay/caf%C3%A9", "pay", "/pay/caf%C3%A9", version);
            data.Add("/pay/a+b,c=d:e@f!$&'()*", "pay", "/pay/a+b,c=d:e@f!$&'()*", version);
            data.Add("/pay/x?q=//a%2F..%5C;b&r=%252F", "pay", "/pay/x?q=//a%2F..%5C;b&r=%252F", version);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(LegitimateTargets))]
    public async Task Legitimate_paths_reach_the_upstream_as_the_route_matched_them(string target, string route, string forwarded, HttpVersionChoice version)
    {
        var echo = EchoOf(await CurlClient.SendAsync(paymentsFiles, gateway.Address, target, version));
        Assert.Equal(route, echo.Header("X-Route"));
        Assert.Equal(forwarded, echo.RawTarget);
    }

    [Theory]
    [InlineData(HttpVersionChoice.Http11)]
    [InlineData(HttpVersionChoice.Http2)]
    public async Task The_catch_all_route_forwards_queries_with_slashes_and_escapes_untouched(HttpVersionChoice version)
    {
        var echo = EchoOf(await CurlClient.SendAsync(marketingFiles, gateway.Address, "/x?a=//b%2F&next=/pay/x", version));
        Assert.Equal("all", echo.Header("X-Route"));
        Assert.Equal("/x?a=//b%2F&next=/pay/x", echo.RawTarget);

        echo = EchoOf(await CurlClient.SendAsync(marketingFiles, gateway.Address, "/payments/x", version));
        Assert.Equal("all", echo.Header("X-Route"));
        Assert.Equal("/payments/x", echo.RawTarget);
    }

    [Theory]
    [InlineData(HttpVersionChoice.Http11, "/pay/x")]
    [InlineData(HttpVersionChoice.Http2, "/pay/x")]
    [InlineData(HttpVersionChoice.Http11, "/PAY/x")]
    [InlineData(HttpVersionChoice.Http2, "/Pay/x")]
    [InlineData(HttpVersionChoice.Http11, "/pay")]
    [InlineData(HttpVersionChoice.Http2, "/pay/%78")]
    public async Task Spellings_that_route_to_pay_are_judged_by_its_policy(HttpVersionChoice version, string target)
    {
        // Routing is case-insensitive and decodes unreserved escapes, so these are pay's: the marketing client is refused.
        var before = gateway.Upstream.Requests;
        var response = await CurlClient.SendAsync(marketingFiles, gateway.Address, target, version);
        Assert.Equal("forbidden", Problem(response, 403).GetProperty("reason").GetString());
        Assert.Equal(before, gateway.Upstream.Requests);
    }

    [Fact]
    public async Task A_refusal_is_logged_once_with_the_target_and_counted_by_reason()
    {
        using var refusals = new CounterRecorder(gateway.Services.GetRequiredService<IMeterFactory>(), "mtlsgateway.request_paths.refused");
        // A raw DEL: Kestrel passes it on in the request line.
        var response = await CurlClient.SendAsync(marketingFiles, gateway.Address, "//pay/x\u007f", HttpVersionChoice.Http11);
        var problem = AssertAmbiguous(response, "empty-segment");
        var traceId = problem.GetProperty("traceId").GetString();

        var logged = Assert.Single(gateway.Logs.Events, e => e.EventId.Name == "AmbiguousPathRefused" && Equals(e.Fields["TraceId"], traceId));
        Assert.Equal("empty-segment", logged.Fields["Reason"]);
        Assert.Equal(marketing.Subject, logged.Fields["Subject"]);
        // The target is logged escaped: a control character in it cannot forge a log line.
        Assert.Equal("//pay/x%7F", logged.Fields["Target"]);
        Assert.Equal(1, refusals.Count("reason", "empty-segment"));
    }

    private static JsonElement AssertAmbiguous(CurlResponse response, string reason)
    {
        var problem = Problem(response, 400);
        Assert.Equal(ProblemType, problem.GetProperty("type").GetString());
        Assert.Equal(reason, problem.GetProperty("reason").GetString());
        return problem;
    }

    private static JsonElement Problem(CurlResponse response, int status)
    {
        Assert.True(response.Status == status, $"expected {status}, got {response}");
        Assert.Contains("content-type: application/problem+json", response.Headers, StringComparison.OrdinalIgnoreCase);
        var problem = JsonDocument.Parse(response.Body).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    private static EchoAnswer EchoOf(CurlResponse response)
    {
        Assert.True(response.Status == 200, $"expected 200 from the upstream, got {response}");
        var answer = JsonSerializer.Deserialize<EchoAnswer>(response.Body, JsonSerializerOptions.Web);
        Assert.Equal(EchoAnswer.Name, answer?.Upstream);
        return answer!;
    }
}
