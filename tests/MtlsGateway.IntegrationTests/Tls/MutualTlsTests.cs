using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Http;
using MtlsGateway.TestSupport.Loopback;
using MtlsGateway.TestSupport.OpenSsl;
using MtlsGateway.TestSupport.Pki;

namespace MtlsGateway.IntegrationTests.Tls;

public sealed class MutualTlsTests : GatewayPerTest
{
    [Fact]
    public async Task Valid_client_reaches_the_upstream()
    {
        using var client = gateway.CreateClient(pki.Client("alice"));
        using var response = await client.GetAsync("/orders/42?x=1");
        var echo = await Echo.ReadAsync(response);
        Assert.Equal("/orders/42", echo.Path);
        Assert.Equal("?x=1", echo.Query);
    }

    [Fact]
    public async Task Http2_is_served()
    {
        using var client = gateway.CreateClient(pki.Client("alice"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/h2") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpVersion.Version20, response.Version);
        await Echo.ReadAsync(response);
    }

    [Fact]
    public async Task Client_without_certificate_gets_403_certificate_required()
    {
        using var client = gateway.CreateClient(certificate: null);
        using var response = await client.GetAsync("/");
        await ProblemAssert.RefusedAsync(response, "certificate-required");
    }

    [Fact]
    public async Task Client_from_an_unknown_CA_is_refused_as_untrusted()
    {
        using var stranger = new TestPki("Stranger");
        using var client = gateway.CreateClient(stranger.Client("mallory"));
        using var response = await client.GetAsync("/");
        var problem = await ProblemAssert.RefusedAsync(response, "untrusted");
        Assert.Contains("Stranger Root CA", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expired_client_is_refused_as_expired()
    {
        using var client = gateway.CreateClient(pki.Client("old", profile => profile.Valid(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddHours(-1))));
        using var response = await client.GetAsync("/");
        await ProblemAssert.RefusedAsync(response, "expired");
    }

    [Fact]
    public async Task Certificate_expired_within_the_clock_skew_is_accepted()
    {
        using var client = gateway.CreateClient(pki.Client("just-expired", profile => profile.Valid(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddMinutes(-2))));
        using var response = await client.GetAsync("/");
        await Echo.ReadAsync(response);
    }

    [Fact]
    public async Task Not_yet_valid_client_is_refused_as_not_yet_valid()
    {
        using var client = gateway.CreateClient(pki.Client("future", profile => profile.Valid(DateTimeOffset.UtcNow.AddDays(1), DateTimeOffset.UtcNow.AddDays(30))));
        using var response = await client.GetAsync("/");
        await ProblemAssert.RefusedAsync(response, "not-yet-valid");
    }

    [Fact]
    public async Task ServerAuth_only_certificate_is_refused_as_wrong_usage()
    {
        using var client = gateway.CreateClient(pki.Client("server-only", profile => profile.ExtendedKeyUsages = [Oids.ServerAuth]));
        using var response = await client.GetAsync("/");
        var problem = await ProblemAssert.RefusedAsync(response, "wrong-usage");
        Assert.Contains("clientAuth", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refusal_is_logged_with_the_certificate_identity()
    {
        var certificate = pki.Client("logged", profile => profile.ExtendedKeyUsages = [Oids.ServerAuth]);
        using var client = gateway.CreateClient(certificate);
        using var response = await client.GetAsync("/");
        await ProblemAssert.RefusedAsync(response, "wrong-usage");

        var refusal = Assert.Single(gateway.Logs.Events, e => e.EventId.Id == 1001);
        Assert.Equal("wrong-usage", refusal.Fields["Reason"]);
        Assert.Equal(certificate.Subject, refusal.Fields["Subject"]);
        Assert.Equal(certificate.Issuer, refusal.Fields["Issuer"]);
        Assert.Equal(certificate.SerialNumber, refusal.Fields["SerialNumber"]);
        Assert.Equal(certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), refusal.Fields["Thumbprint"]);
    }

    [Theory]
    [InlineData("X-Forwarded-Client-Cert")]
    [InlineData("Client-Cert")]
    [InlineData("Client-Cert-Chain")]
    [InlineData("X-Client-Cert")]
    public async Task Identity_headers_sent_by_the_client_never_reach_the_upstream(string header)
    {
        using var client = gateway.CreateClient(pki.Client("spoofer"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.TryAddWithoutValidation(header, "By=spiffe://evil;Hash=00;Subject=\"CN=admin\"");
        request.Headers.TryAddWithoutValidation("X-Unrelated", "kept");
        using var response = await client.SendAsync(request);
        var echo = await Echo.ReadAsync(response);
        Assert.True(echo.Header(header) is null, $"{header} reached the upstream");
        Assert.Equal("kept", echo.Header("X-Unrelated"));
    }

    [Fact]
    public async Task Intermediate_sent_only_in_the_handshake_completes_the_chain()
    {
        using var issuing = await gateway.CreateIntermediateAsync(pki.Root, "CN=Issuing CA, O=MtlsGateway Tests");
        var leaf = issuing.Issue("CN=via-intermediate");
        var intermediate = issuing.PublicCertificate;

        using (var withChain = gateway.CreateClient(leaf, [intermediate]))
        using (var accepted = await withChain.GetAsync("/"))
        {
            await Echo.ReadAsync(accepted);
        }

        using var withoutChain = gateway.CreateClient(leaf);
        using var refused = await withoutChain.GetAsync("/");
        await ProblemAssert.RefusedAsync(refused, "untrusted");
    }

    [Fact]
    public async Task A_look_alike_of_an_intermediate_other_clients_sent_does_not_borrow_its_trust()
    {
        // The gateway keeps one copy per distinct intermediate it was sent, shared between connections: a look-alike
        // (every name the same, other keys) must get its own, and its own verdict.
        using var issuing = await gateway.CreateIntermediateAsync(pki.Root, "CN=Shared Issuing CA, O=MtlsGateway Tests");
        using var fakeRoot = TestCa.CreateRoot(pki.Root.Certificate.Subject);
        using var fakeIssuing = fakeRoot.CreateIntermediate(issuing.Certificate.Subject);
        Assert.Equal(issuing.Certificate.SubjectName.RawData, fakeIssuing.Certificate.SubjectName.RawData);
        Assert.Equal(issuing.Certificate.IssuerName.RawData, fakeIssuing.Certificate.IssuerName.RawData);

        using (var genuine = gateway.CreateClient(issuing.Issue("CN=genuine"), [issuing.PublicCertificate]))
        using (var accepted = await genuine.GetAsync("/"))
        {
            await Echo.ReadAsync(accepted);
        }

        using (var mallory = gateway.CreateClient(fakeIssuing.Issue("CN=genuine"), [fakeIssuing.PublicCertificate]))
        using (var refused = await mallory.GetAsync("/"))
        {
            await ProblemAssert.RefusedAsync(refused, "untrusted");
        }

        using var again = gateway.CreateClient(issuing.Issue("CN=genuine again"), [issuing.PublicCertificate]);
        using var stillAccepted = await again.GetAsync("/");
        await Echo.ReadAsync(stillAccepted);
    }

    [Fact]
    public async Task Intermediates_sent_in_the_handshake_count_on_every_new_connection()
    {
        // Later connections may resume the TLS session; the chain the client sent must still complete the path.
        using var issuing = await gateway.CreateIntermediateAsync(pki.Root, "CN=Resuming Issuing CA, O=MtlsGateway Tests");
        var leaf = issuing.Issue("CN=resumer");
        var intermediate = issuing.PublicCertificate;
        for (var i = 0; i < 4; i++)
        {
            using var client = gateway.CreateClient(leaf, [intermediate]);
            using var response = await client.GetAsync($"/connection/{i}");
            await Echo.ReadAsync(response);
        }

        var resumed = await OpenSsl.RunAsync(["s_client", "-connect", $"127.0.0.1:{gateway.Address.Port}", "-servername", "localhost", "-tls1_2", "-reconnect"], standardInput: string.Empty);
        Assert.Contains("Reused", resumed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_is_validated_once_for_all_its_requests()
    {
        using var listener = new MeterListener();
        var validations = 0L;
        var meterFactory = gateway.Services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Other test classes run gateways in parallel in this process: count only this gateway's meter.
            if (ReferenceEquals(instrument.Meter.Scope, meterFactory) && instrument.Name == "mtlsgateway.client_certificate.validations")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref validations, value));
        listener.Start();

        var certificate = pki.Client("keep-alive");
        using var client = gateway.CreateClient(certificate);
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.GetAsync($"/{i}");
            await Echo.ReadAsync(response);
        }

        // A second connection with the same chain reuses the cross-connection verdict cache.
        using var second = gateway.CreateClient(certificate);
        using (var response = await second.GetAsync("/again"))
        {
            await Echo.ReadAsync(response);
        }

        Assert.Equal(1, Interlocked.Read(ref validations));
    }

    [Fact]
    public async Task Handshake_advertises_the_trusted_CA_names()
    {
        // OpenSSL's client prints the CA names of the server's CertificateRequest; .NET's client does not expose them on Linux.
        var output = (await OpenSsl.RunAsync(["s_client", "-connect", $"127.0.0.1:{gateway.Address.Port}", "-servername", "localhost", "-tls1_2"], standardInput: string.Empty)).Output;
        var names = output[(output.IndexOf("Acceptable client certificate CA names", StringComparison.Ordinal) + 1)..];
        Assert.Contains("CN = Test Root CA", names, StringComparison.Ordinal);
    }
}
