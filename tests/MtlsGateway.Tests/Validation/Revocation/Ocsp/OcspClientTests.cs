using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using MtlsGateway.TestSupport.Loopback;
using MtlsGateway.TestSupport.OpenSsl;
using MtlsGateway.TestSupport.Timing;
using MtlsGateway.Tests.Validation.Revocation.Fetching;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Crypto;
using MtlsGateway.Validation.Revocation;
using MtlsGateway.Validation.Revocation.Fetching;
using MtlsGateway.Validation.Revocation.Ocsp;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.Tests.Validation.Revocation.Ocsp;

/// <summary>The OCSP client against a real `openssl ocsp` responder and real loopback servers.</summary>
public sealed class OcspClientTests : IClassFixture<OcspPki>, IDisposable
{
    private readonly OcspPki pki;
    private readonly FetchingSetup setup;
    private readonly ValidationEpoch epoch = new();
    private readonly List<IDisposable> servers = [];

    public OcspClientTests(OcspPki pki)
    {
        this.pki = pki;
        setup = new FetchingSetup();
    }

    public void Dispose()
    {
        foreach (var server in servers)
        {
            server.Dispose();
        }

        setup.Dispose();
    }

    [Theory]
    [InlineData("ca")]
    [InlineData("responder")]
    public async Task GoodCertificate_IsGood_WhenSignedByIssuerOrDelegatedResponder(string signer)
    {
        var responder = await Responder(signer, 1, "-nmin", "10");
        var certificate = pki.IssueClient(OcspPki.GoodSerial, [responder.Url], []);
        var before = DateTimeOffset.UtcNow;

        var status = await Client().GetStatusAsync(certificate, pki.Ca, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(RevocationState.Good, status.State);
        Assert.Equal("ocsp", status.Source);
        Assert.InRange(status.ValidUntil, before.AddMinutes(9), DateTimeOffset.UtcNow.AddMinutes(11));
    }

    [Theory]
    [InlineData("ca", "sha384")]
    [InlineData("responder", "sha512")]
    public async Task SignatureDigests_AreVerified(string signer, string digest)
    {
        var responder = await Responder(signer, 1, "-rmd", digest);
        var certificate = pki.IssueClient(OcspPki.RevokedSerial, [responder.Url], []);

        var status = await Client().GetStatusAsync(certificate, pki.Ca, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(RevocationState.Revoked, status.State);
    }

    [Fact]
    public async Task Sha1SignedAnswer_IsNotReliedOn_UnlessSha1IsAllowed()
    {
        // One responder (and one certificate naming it) per client: each answers exactly one request.
        var strictResponder = await Responder("ca", 1, "-rmd", "sha1");
        var strict = await Client().GetStatusAsync(pki.IssueClient(OcspPki.RevokedSerial, [strictResponder.Url], []), pki.Ca, DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.Equal(RevocationState.Unknown, strict.State);
        Assert.Contains("answer cannot be relied on: sha1WithRSAEncryption signature (SHA-1)", strict.Detail, StringComparison.Ordinal);

        var lenientResponder = await Responder("ca", 1, "-rmd", "sha1");
        var allowing = new OcspClientOptions { Verification = new OcspVerificationOptions { Minimums = new CryptoMinimums(allowSha1Signatures: true) } };
        var lenient = await Client(allowing).GetStatusAsync(pki.IssueClient(OcspPki.RevokedSerial, [lenientResponder.Url], []), pki.Ca, DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.True(lenient.State == RevocationState.Revoked, lenient.Detail);
    }

    [Fact]
    public async Task AnswerSignedForAnotherIssuer_IsUnknown()
    {
        // A genuine answer by the real CA, while the certificate is (claimed to be) issued by someone else.
        var responder = await Responder("ca", 1);
        var certificate = pki.IssueClient(OcspPki.GoodSerial, [responder.Url], []);
        using var otherIssuer = X509CertificateLoader.LoadCertificateFromFile(pki.PathOf("rogue.pem"));

        var status = await Client().GetStatusAsync(certificate, otherIssuer, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("not issued by the certificate's issuer", status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnsuccessfulResponseStatus_IsUnknown()
    {
        // OCSPResponse { responseStatus tryLater(3) }, no body.
        var busy = TestUpstream.Serving(() => [0x30, 0x03, 0x0A, 0x01, 0x03]);
        servers.Add(busy);
        var certificate = pki.IssueClient(OcspPki.GoodSerial, [busy.Address.AbsoluteUri], []);

        var status = await Client().GetStatusAsync(certificate, pki.Ca, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("responder answered TryLater", status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokedCertificate_IsRevoked_WithReasonAndTime()
    {
        var responder = await Responder("responder", 1);
        var certificate = pki.IssueClient(OcspPki.RevokedSerial, [responder.Url], []);

        var status = await Client().GetStatusAsync(certificate, pki.Ca, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(RevocationState.Revoked, status.State);
        Assert.Equal("keyCompromise", status.RevocationReason);
        Assert.Equal(OcspPki.RevokedAt, status.RevokedAt);
    }

    [Fact]
    public async Task CertificateUnknownToResponder_IsUnknown()
    {
        var responder = await Responder("ca", 1);
        var certificate = pki.IssueClient(OcspPki.UnknownSerial, [responder.Url], []);

        var status = await Client().GetStatusAsync(certificate, pki.Ca, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("does not know the certificate", status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnswerSignedByUnrelatedKey_IsUnknown()
    {
        var responder = await Responder("rogue", 1);
        var certificate = pki.IssueClient(OcspPki.GoodSerial, [responder.Url], []);

        var status = await Client().GetStatusAsync(certificate, pki.Ca, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("not issued by the certificate's issuer", status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DelegatedResponderWithoutOcspSigningUsage_IsUnknown()
    {
        var responder = await Responder("noeku", 1);
        var certificate = pki.IssueClient(OcspPki.GoodSerial, [responder.Url], []);

        var status = await Client().GetStatusAsync(certificate, pki.Ca, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("lacks the OCSPSigning", status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResponderNamedByKeyHash_IsAccepted()
    {
        var responder = await Responder("responder", 1, "-resp_key_id");
        var certificate = pki.IssueClient(OcspPki.GoodSerial, [responder.Url], []);

        var status = await Client().GetStatusAsync(certificate, pki.Ca, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(RevocationState.Good, status.State);
    }

    [Fact]
    public async Task AnswerWithoutNextUpdate_IsGoodForTheConfiguredShortTimeOnly()
    {
        var responder = await Responder("ca", 1);
        var certificate = pki.IssueClient(OcspPki.GoodSerial, [responder.Url], []);
        var options = new OcspClientOptions { Verification = new OcspVerificationOptions { ValidityWithoutNextUpdate = TimeSpan.FromMinutes(2) } };

        var status = await Client(options).GetStatusAsync(certificate, pki.Ca, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(RevocationState.Good, status.State);
        Assert.True(status.ValidUntil <= DateTimeOffset.UtcNow.AddMinutes(2).AddSeconds(5), $"valid until {status.ValidUntil:o}");
    }

    [Fact]
    public async Task MaxCacheAge_BoundsValidity()
    {
        var responder = await Responder("ca", 1, "-ndays", "7");
        var certificate = pki.IssueClient(OcspPki.GoodSerial, [responder.Url], []);
        var options = new OcspClientOptions { Verification = new OcspVerificationOptions { MaxCacheAge = TimeSpan.FromMinutes(30) } };

        var status = await Client(options).GetStatusAsync(certificate, pki.Ca, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(RevocationState.Good, status.State);
        Assert.True(status.ValidUntil <= DateTimeOffset.UtcNow.AddMinutes(30), $"valid until {status.ValidUntil:o}");
    }

    [Fact]
    public async Task CachedAnswer_IsServedWithoutNetwork_AfterTheResponderIsGone()
    {
        var responder = await Responder("responder", 1, "-nmin", "10");
        var certificate = pki.IssueClient(OcspPki.GoodSerial, [responder.Url], []);
        var client = Client();

        var first = await client.GetStatusAsync(certificate, pki.Ca, DateTimeOffset.UtcNow, CancellationToken.None);
        await responder.WaitForExitAsync();
        var second = await client.GetStatusAsync(certificate, pki.Ca, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(RevocationState.Good, first.State);
        Assert.Equal(first, second);
        Assert.Single(setup.Handler.Sent);
        Assert.Equal(new OcspCacheCounts(1, 1, 1), client.Counts);
    }

    [Fact]
    public async Task ExpiredAnswer_IsAskedAgain_AndAChangedStatusAdvancesTheEpoch()
    {
        var first = await Responder("ca", 1);
        var certificate = pki.IssueClient(OcspPki.GoodSerial, [first.Url], []);
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var client = new OcspClient(setup.Fetcher, new OcspClientOptions(), epoch, clock, NullLogger.Instance);

        var before = await client.GetStatusAsync(certificate, pki.Ca, DateTimeOffset.UtcNow, CancellationToken.None);
        await first.WaitForExitAsync();
        var epochBefore = epoch.Current;
        await Responder("ca", 1, first.Port, "index-later.txt");
        clock.Advance(TimeSpan.FromMinutes(10));
        var after = await client.GetStatusAsync(certificate, pki.Ca, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(RevocationState.Good, before.State);
        Assert.Equal(RevocationState.Revoked, after.State);
        Assert.Equal("superseded", after.RevocationReason);
        Assert.True(epoch.Current > epochBefore);
        Assert.Equal(2, setup.Handler.Sent.Count);
    }

    [Fact]
    public async Task ConcurrentRequests_ShareOneFetch()
    {
        var responder = await Responder("responder", 1, "-nmin", "10");
        var certificate = pki.IssueClient(OcspPki.RevokedSerial, [responder.Url], []);
        var client = Client();

        var statuses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.GetStatusAsync(certificate, pki.Ca, DateTimeOffset.UtcNow, CancellationToken.None).AsTask()));

        Assert.All(statuses, status => Assert.Equal(RevocationState.Revoked, status.State));
        Assert.Single(setup.Handler.Sent);
        Assert.Single(setup.Completed);
    }

    [Fact]
    public async Task ShortRequest_IsSentByGet()
    {
        var responder = await Responder("responder", 1);
        var certificate = pki.IssueClient(OcspPki.GoodSerial, [responder.Url], []);

        var status = await Client().GetStatusAsync(certificate, pki.Ca, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(RevocationState.Good, status.State);
        var (method, url) = Assert.Single(setup.Handler.Sent);
        Assert.Equal(HttpMethod.Get, method);
        Assert.True(url.AbsoluteUri.Length <= 255);
    }

    [Fact]
    public async Task RequestTooLongForGet_IsSentByPost_WithNonceEchoed()
    {
        var responder = await Responder("responder", 1);
        var certificate = pki.IssueClient(OcspPki.GoodSerial, [responder.Url], []);
        var options = new OcspClientOptions { MaxGetUrlLength = 0, UseNonce = true };

        var status = await Client(options).GetStatusAsync(certificate, pki.Ca, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(RevocationState.Good, status.State);
        Assert.Equal(HttpMethod.Post, Assert.Single(setup.Handler.Sent).Method);
    }

    [Fact]
    public async Task SilentResponder_IsUnknownWithinFetchTimeout_AndNotAskedAgainRightAway()
    {
        using var blackHole = new TcpListener(IPAddress.Loopback, 0);
        blackHole.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)blackHole.LocalEndpoint).Port}/";
        var certificate = pki.IssueClient(OcspPki.GoodSerial, [url], []);
        using var quick = new FetchingSetup(new RevocationFetcherOptions { FetchTimeout = TimeSpan.FromMilliseconds(500) });
        var client = new OcspClient(quick.Fetcher, new OcspClientOptions { FailureMemory = TimeSpan.Zero }, epoch, TimeProvider.System, NullLogger.Instance);

        var first = await client.GetStatusAsync(certificate, pki.Ca, DateTimeOffset.UtcNow, CancellationToken.None);
        var second = await client.GetStatusAsync(certificate, pki.Ca, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(RevocationState.Unknown, first.State);
        Assert.Contains("did not answer within 500 ms", first.Detail, StringComparison.Ordinal);
        var fetch = Assert.Single(quick.Completed);
        Assert.Equal(FetchOutcome.Timeout, fetch.Outcome);
        Assert.InRange(fetch.Duration, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(10));

        // The fetcher remembers the failure: the second request costs no network and says why.
        Assert.Equal(RevocationState.Unknown, second.State);
        Assert.Contains("recent failure", second.Detail, StringComparison.Ordinal);
        Assert.Single(quick.Handler.Sent);
    }

    [Fact]
    public async Task GarbageAnswer_IsUnknown()
    {
        var garbage = TestUpstream.Serving(() => "this is not DER"u8.ToArray());
        servers.Add(garbage);
        var certificate = pki.IssueClient(OcspPki.GoodSerial, [garbage.Address.AbsoluteUri], []);

        var status = await Client().GetStatusAsync(certificate, pki.Ca, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("malformed OCSP response", status.Detail, StringComparison.Ordinal);
        Assert.Equal(1, garbage.Requests);
    }

    [Fact]
    public async Task AnswerForAnotherCertificate_IsUnknown()
    {
        // A real, validly signed answer about serial 1001 replayed for serial 1002.
        var responder = await Responder("responder", 1);
        var good = pki.IssueClient(OcspPki.GoodSerial, [responder.Url], []);
        var recorded = await setup.Fetcher.PostAsync(new Uri(responder.Url), RevocationFetchKind.Ocsp, OcspRequestBuilder.Build(good, pki.Ca, withNonce: false).Der, OcspClient.RequestContentType, CancellationToken.None);
        var replay = TestUpstream.Serving(() => recorded.Body!);
        servers.Add(replay);
        var revoked = pki.IssueClient(OcspPki.RevokedSerial, [replay.Address.AbsoluteUri], []);

        var status = await Client().GetStatusAsync(revoked, pki.Ca, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("CertID mismatch", status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OcspSource_ReportsMissingAndUnsupportedResponders()
    {
        var none = pki.IssueClient(OcspPki.GoodSerial, [], []);
        var ldap = pki.IssueClient(OcspPki.UnknownSerial, ["ldap://ldap.example/cn=ocsp"], []);
        var source = new OcspRevocationSource(Client());

        var withoutUrl = await source.GetStatusAsync(new CertificatePath([none, pki.Ca]), 0, DateTimeOffset.UtcNow, CancellationToken.None);
        var withLdap = await source.GetStatusAsync(new CertificatePath([ldap, pki.Ca]), 0, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal("ocsp", source.Name);
        Assert.Equal(RevocationState.Unknown, withoutUrl.State);
        Assert.Contains("names no OCSP responder", withoutUrl.Detail, StringComparison.Ordinal);
        Assert.Equal(RevocationState.Unknown, withLdap.State);
        Assert.Contains("unsupported scheme: ldap://ldap.example/cn=ocsp", withLdap.Detail, StringComparison.Ordinal);
        Assert.Empty(setup.Handler.Sent);
    }

    [Fact]
    public async Task OcspSource_AsksAboutTheCertificateAtTheIndexWithItsIssuer()
    {
        var responder = await Responder("ca", 1);
        var certificate = pki.IssueClient(OcspPki.RevokedSerial, [responder.Url], []);
        var source = new OcspRevocationSource(Client());

        var status = await source.GetStatusAsync(new CertificatePath([certificate, pki.Ca]), 0, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(RevocationState.Revoked, status.State);
    }

    private OcspClient Client(OcspClientOptions? options = null)
        => new(setup.Fetcher, options ?? new OcspClientOptions(), epoch, TimeProvider.System, NullLogger.Instance);

    private async Task<OpenSslOcspResponder> Responder(string signer, int requests, params string[] extra)
    {
        var responder = await OpenSslOcspResponder.StartAsync(pki, signer, requests, extra);
        servers.Add(responder);
        return responder;
    }

    private async Task<OpenSslOcspResponder> Responder(string signer, int requests, int port, string index)
    {
        var responder = await OpenSslOcspResponder.StartAsync(pki, signer, requests, port, index);
        servers.Add(responder);
        return responder;
    }
}
