using System.Net;
using System.Runtime.Versioning;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.Outbound;
using MtlsGateway.TestSupport.Loopback;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.TestSupport.Timing;
using MtlsGateway.TestSupport.SoftHsm2;

namespace MtlsGateway.IntegrationTests.Outbound;

/// <summary>
/// The gateway's outbound identity on a SoftHSM2 token, end to end: real gateway, real Kestrel upstream that requires a
/// client certificate, TLS client signatures made on the token through OpenSSL's pkcs11 engine.
/// </summary>
[Collection(SoftHsmGroup.Name)]
[SupportedOSPlatform("linux")]
public sealed class OutboundIdentityTests : IDisposable
{
    private readonly SoftHsm hsm;
    private readonly OutboundTestFolder folder = new();

    public OutboundIdentityTests(SoftHsm hsm) => this.hsm = hsm;

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task Upstream_that_requires_client_certificates_sees_the_token_certificate_subject()
    {
        await using var upstream = await TestUpstream.StartAsync(options => MutualTls(options, folder.UpstreamPki.Server, hsm.Ca.Certificate));
        await using var gateway = await StartAsync(TokenIdentitySettings(upstream));
        using var client = gateway.CreateClient();

        var answer = await GetAnswerAsync(client);

        Assert.Equal(SoftHsm.TlsSubject, answer.Subject);
        var loaded = Assert.Single(gateway.Events(4001)).Message;
        Assert.Contains($"outbound identity 'card': token '{SoftHsm.TlsToken}' serial ", loaded, StringComparison.Ordinal);
        Assert.Contains($"certificate '{SoftHsm.TlsSubject}' valid until ", loaded, StringComparison.Ordinal);
        Assert.True(gateway.Services.GetRequiredService<IOutboundIdentityReadiness>().IsReady);
        Assert.Empty(gateway.Events(4007));
    }

    [Fact]
    public async Task PIN_file_readable_by_others_is_warned_about()
    {
        File.SetUnixFileMode(Path.Combine(folder.Path, "card.pin"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        await using var upstream = await TestUpstream.StartAsync(options => MutualTls(options, folder.UpstreamPki.Server, hsm.Ca.Certificate));
        await using var gateway = await StartAsync(TokenIdentitySettings(upstream));

        var warning = Assert.Single(gateway.Events(4007)).Message;

        Assert.StartsWith("Gateway:OutboundIdentities:card:Pkcs11:PinFile: PIN file '", warning, StringComparison.Ordinal);
        Assert.Contains("(mode 644)", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(SoftHsm.UserPin, string.Join('\n', gateway.Logs.Events.Select(e => e.Message)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eight_parallel_requests_use_eight_upstream_connections_each_signed_on_the_token()
    {
        await using var upstream = await TestUpstream.StartAsync(options => MutualTls(options, folder.UpstreamPki.Server, hsm.Ca.Certificate).HoldUntil = 8);
        await using var gateway = await StartAsync(TokenIdentitySettings(upstream));
        using var client = gateway.CreateClient();

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => GetAnswerAsync(client)));

        Assert.All(answers, answer => Assert.Equal(SoftHsm.TlsSubject, answer.Subject));
        Assert.All(answers, answer => Assert.True(answer.Held, "every request was in flight together with the other seven"));
        Assert.Equal(8, answers.Select(answer => answer.Connection).Distinct().Count());
    }

    [Fact]
    public async Task Upstream_connections_are_reused_so_the_token_signs_once_per_connection()
    {
        await using var upstream = await TestUpstream.StartAsync(options => MutualTls(options, folder.UpstreamPki.Server, hsm.Ca.Certificate));
        await using var gateway = await StartAsync(TokenIdentitySettings(upstream));
        using var client = gateway.CreateClient();

        var first = await GetAnswerAsync(client);
        var second = await GetAnswerAsync(client);
        var third = await GetAnswerAsync(client);

        Assert.Equal(first.Connection, second.Connection);
        Assert.Equal(first.Connection, third.Connection);
    }

    [Fact]
    public async Task Upstream_certificate_from_a_CA_other_than_the_pinned_one_is_refused_with_502()
    {
        using var stranger = new TestPki("Stranger");
        await using var upstream = await TestUpstream.StartAsync(options => MutualTls(options, stranger.Server, hsm.Ca.Certificate));
        await using var gateway = await StartAsync(TokenIdentitySettings(upstream));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var refusal = Assert.Single(gateway.Events(4101)).Message;
        Assert.Contains("Upstream of cluster upstream refused: host localhost: certificate 'CN=localhost' does not chain to the pinned UpstreamTrustedCaFile", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_pinned_CA_the_operating_system_trust_store_decides_and_refuses_a_private_CA()
    {
        await using var upstream = await TestUpstream.StartAsync(options => MutualTls(options, folder.UpstreamPki.Server, hsm.Ca.Certificate));
        var settings = TokenIdentitySettings(upstream);
        settings.Remove("ReverseProxy:Clusters:upstream:Metadata:UpstreamTrustedCaFile");
        await using var gateway = await StartAsync(settings);
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("is not trusted by the operating system's trust store", Assert.Single(gateway.Events(4101)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upstream_certificate_for_another_host_name_is_refused_even_from_the_pinned_CA()
    {
        using var otherHost = folder.UpstreamPki.Root.Issue("CN=other.example", profile =>
        {
            profile.ExtendedKeyUsages = [Oids.ServerAuth];
            profile.Dns("other.example");
        });
        await using var upstream = await TestUpstream.StartAsync(options => MutualTls(options, otherHost, hsm.Ca.Certificate));
        await using var gateway = await StartAsync(TokenIdentitySettings(upstream));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("certificate 'CN=other.example' is not issued for this host name", Assert.Single(gateway.Events(4101)).Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// SoftHSM2 cannot lose a token inside a running process (its slots are fixed at C_Initialize), so this one test
    /// replaces the presence probe (the gateway's only seam for it) with a switch. Everything else is real: the guard
    /// answering 502, readiness, and the reload through the real loader and token when the "token" is back.
    /// </summary>
    [Fact]
    public async Task Pulled_token_gives_502_and_not_ready_then_the_identity_is_reloaded_without_restart()
    {
        var removal = new SimulatedTokenRemoval();
        await using var upstream = await TestUpstream.StartAsync(options => MutualTls(options, folder.UpstreamPki.Server, hsm.Ca.Certificate));
        var settings = TokenIdentitySettings(upstream);
        settings["Gateway:OutboundIdentityProbeInterval"] = "00:00:00.100";
        settings["Gateway:OutboundIdentitySigningCheckInterval"] = "00:00:00.200";
        await using var gateway = await StartAsync(settings, services => services.AddSingleton<ITokenPresenceProbe>(removal));
        using var signatures = new TokenSigningMeasurements(gateway.Services);
        var readiness = gateway.Services.GetRequiredService<IOutboundIdentityReadiness>();
        using var admin = new HttpClient { BaseAddress = gateway.Services.GetRequiredService<MtlsGateway.Admin.AdminListener>().Address };
        using var client = gateway.CreateClient();
        Assert.Equal(SoftHsm.TlsSubject, (await GetAnswerAsync(client)).Subject);
        var status = await admin.GetStringAsync(new Uri("/status", UriKind.Relative));
        Assert.Contains(SoftHsm.TlsToken, status, StringComparison.Ordinal);
        Assert.DoesNotContain(SoftHsm.UserPin, status, StringComparison.Ordinal);

        // The periodic signing check signs through the engine key the handshakes use, and times it.
        await Eventually.HoldsAsync(() => signatures.Count("mtlsgateway.token.signing.duration", "card") > 0, "a timed token signature");

        removal.Present = false;
        await Eventually.HoldsAsync(() => !readiness.IsReady && gateway.Events(4003).Any(), "the token probe to notice");
        await Eventually.HoldsAsync(() => signatures.Count("mtlsgateway.token.signing.failures", "card", "token_absent") > 0, "token_absent to be counted");
        using var whilePulled = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadGateway, whilePulled.StatusCode);
        var pulled = Assert.Single(readiness.Statuses);
        Assert.False(pulled.Available);
        Assert.Contains($"token '{SoftHsm.TlsToken}'", pulled.Problem, StringComparison.Ordinal);
        Assert.Contains("is not present", pulled.Problem, StringComparison.Ordinal);
        using (var notReady = await admin.GetAsync(new Uri("/healthz/ready", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
            Assert.Contains("outbound_identities", await notReady.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Single(gateway.Events(4003));
        Assert.Contains("Request to cluster upstream not sent (502): outbound identity 'card' is unavailable", gateway.Events(4201).First().Message, StringComparison.Ordinal);

        removal.Present = true;
        await Eventually.HoldsAsync(() => readiness.IsReady && gateway.Events(4004).Any(), "the token probe to notice");

        Assert.Equal(SoftHsm.TlsSubject, (await GetAnswerAsync(client)).Subject);
        Assert.Contains("outbound identity 'card' recovered: ", Assert.Single(gateway.Events(4004)).Message, StringComparison.Ordinal);
        using var ready = await admin.GetAsync(new Uri("/healthz/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    /// <summary>
    /// A card that comes back after a pull is logged out, so the reload's C_Login really checks the PIN. SoftHSM2 cannot
    /// pull a token inside a running process: the presence probe is switched (as above) and the test logs the token
    /// out itself, as the returning card would be. The PIN file meanwhile holds a wrong PIN: one C_Login, refused, and
    /// the gateway never tries again, not even once the right PIN is back and the token comes and goes.
    /// </summary>
    [Fact]
    public async Task Wrong_PIN_at_run_time_is_tried_once_and_never_again()
    {
        var removal = new SimulatedTokenRemoval();
        await using var upstream = await TestUpstream.StartAsync(options => MutualTls(options, folder.UpstreamPki.Server, hsm.Ca.Certificate));
        var settings = TokenIdentitySettings(upstream);
        settings["Gateway:OutboundIdentities:card:Pkcs11:TokenLabel"] = SoftHsm.ReinsertedToken;
        settings["Gateway:OutboundIdentityProbeInterval"] = "00:00:00.100";
        settings["Gateway:OutboundIdentitySigningCheckInterval"] = "00:00:00";
        await using var gateway = await StartAsync(settings, services => services.AddSingleton<ITokenPresenceProbe>(removal));
        using var measurements = new TokenSigningMeasurements(gateway.Services);
        var readiness = gateway.Services.GetRequiredService<IOutboundIdentityReadiness>();
        using var client = gateway.CreateClient();
        Assert.Equal("CN=reinserted.test", (await GetAnswerAsync(client)).Subject);

        removal.Present = false;
        await Eventually.HoldsAsync(() => gateway.Events(4003).Any(), "the token probe to notice the pull");
        using (var session = hsm.Module.OpenSession(hsm.Slot(SoftHsm.ReinsertedToken), readWrite: false))
        {
            session.Session.Logout(); // the returning card's state: nobody logged in
        }

        folder.WritePin("card.pin", "2718-wrong-at-run-time");
        removal.Present = true;
        await Eventually.HoldsAsync(() => gateway.Events(4006).Any(), "the reload to meet the wrong PIN");

        var blocked = Assert.Single(gateway.Events(4006)).Message;
        Assert.Contains($"outbound identity 'card' not reloaded: wrong PIN for token '{SoftHsm.ReinsertedToken}' (C_Login: CKR_PIN_INCORRECT (0xA0)); not retried", blocked, StringComparison.Ordinal);
        Assert.True(MtlsGateway.Pkcs11.Tokens.TokenFinder.Find(hsm.Module, MtlsGateway.Pkcs11.Tokens.TokenSelector.ByLabel(SoftHsm.ReinsertedToken)).UserPinCountLow);

        // The right PIN is back and the card comes and goes again: a retry would now succeed, so its absence shows.
        folder.WritePin("card.pin", SoftHsm.UserPin);
        removal.Present = false;
        var rounds = measurements.Count("mtlsgateway.token.signing.failures", "card", "token_absent");
        await Eventually.HoldsAsync(() => measurements.Count("mtlsgateway.token.signing.failures", "card", "token_absent") >= rounds + 3, "three probe rounds");
        removal.Present = true;
        rounds = measurements.Count("mtlsgateway.token.signing.failures", "card", "token_absent");
        await Eventually.HoldsAsync(() => measurements.Count("mtlsgateway.token.signing.failures", "card", "token_absent") >= rounds + 5, "five more probe rounds");

        Assert.Single(gateway.Events(4006));
        Assert.Empty(gateway.Events(4004));
        Assert.Empty(gateway.Events(4005));
        Assert.False(readiness.IsReady);
        Assert.Contains("wrong PIN", Assert.Single(readiness.Statuses).Problem, StringComparison.Ordinal);
        var everything = string.Join('\n', gateway.Logs.Events.Select(e => e.Message));
        Assert.DoesNotContain("2718-wrong-at-run-time", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(SoftHsm.UserPin, everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_token_stops_start_up_naming_the_identity_and_the_token()
    {
        await using var upstream = await TestUpstream.StartAsync(options => MutualTls(options, folder.UpstreamPki.Server, hsm.Ca.Certificate));
        var settings = TokenIdentitySettings(upstream);
        settings["Gateway:OutboundIdentities:card:Pkcs11:TokenLabel"] = "no-such-card";

        var error = await Assert.ThrowsAsync<MtlsGateway.Hosting.GatewayConfigurationException>(() => OutboundGateway.BuildAsync(folder.Path, settings));

        Assert.Equal("Gateway:OutboundIdentities:card", error.Key);
        Assert.Contains("token 'no-such-card' not found in any slot", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Software_key_identity_from_files_is_presented_too()
    {
        using var partner = TestCa.CreateRoot("CN=Partner CA");
        using var certificate = partner.Issue("CN=software-identity.test");
        PemFiles.WriteCertificate(Path.Combine(folder.Path, "outbound.crt"), certificate);
        PemFiles.WritePrivateKey(Path.Combine(folder.Path, "outbound.key"), certificate);
        await using var upstream = await TestUpstream.StartAsync(options => MutualTls(options, folder.UpstreamPki.Server, partner.Certificate));
        var settings = UpstreamSettings(upstream);
        settings["Gateway:OutboundIdentities:software:File:CertificatePath"] = "outbound.crt";
        settings["Gateway:OutboundIdentities:software:File:KeyPath"] = "outbound.key";
        settings["ReverseProxy:Clusters:upstream:Metadata:OutboundIdentity"] = "software";
        await using var gateway = await StartAsync(settings);
        using var client = gateway.CreateClient();

        var answer = await GetAnswerAsync(client);

        Assert.Equal("CN=software-identity.test", answer.Subject);
        Assert.Contains("outbound identity 'software': software key, certificate 'CN=software-identity.test'", Assert.Single(gateway.Events(4002)).Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> UpstreamSettings(TestUpstream upstream)
    {
        var settings = OutboundGateway.Settings(upstream.Address);
        settings["ReverseProxy:Clusters:upstream:Destinations:one:Address"] = upstream.Address.ToString();
        settings["ReverseProxy:Clusters:upstream:Metadata:UpstreamTrustedCaFile"] = "upstream-ca.pem";
        return settings;
    }

    private static Dictionary<string, string?> TokenIdentitySettings(TestUpstream upstream)
    {
        var settings = UpstreamSettings(upstream);
        settings["Gateway:OutboundIdentities:card:Pkcs11:ModulePath"] = SoftHsm.ModulePath;
        settings["Gateway:OutboundIdentities:card:Pkcs11:TokenLabel"] = SoftHsm.TlsToken;
        settings["Gateway:OutboundIdentities:card:Pkcs11:KeyLabel"] = SoftHsm.TlsKeyLabel;
        settings["Gateway:OutboundIdentities:card:Pkcs11:PinFile"] = "card.pin";
        settings["ReverseProxy:Clusters:upstream:Metadata:OutboundIdentity"] = "card";
        return settings;
    }

    private Task<OutboundGateway> StartAsync(Dictionary<string, string?> settings, Action<IServiceCollection>? services = null) =>
        OutboundGateway.StartAsync(folder.GatewayPki, folder.Path, settings, services);

    private static async Task<EchoAnswer> GetAnswerAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));
        return await Echo.ReadAsync(response);
    }

    /// <summary>The upstream as the tests need it: HTTP/1.1 only (one request per connection at a time), mutual TLS.</summary>
    private static TestUpstreamOptions MutualTls(TestUpstreamOptions options, X509Certificate2 serverCertificate, X509Certificate2 clientCa)
    {
        options.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1;
        return options.MutualTls(serverCertificate, clientCa);
    }

    /// <summary>Test-only stand-in for the token presence probe: SoftHSM2 cannot pull a token from a running process.</summary>
    private sealed class SimulatedTokenRemoval : ITokenPresenceProbe
    {
        public volatile bool Present = true;

        public bool IsTokenPresent(MtlsGateway.Pkcs11.Identity.Pkcs11Identity token) => Present;
    }
}
