using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Files;
using MtlsGateway.TestSupport.OpenSsl;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.TestSupport.Processes;
using MtlsGateway.TestSupport.Timing;

namespace MtlsGateway.IntegrationTests.Tls;

/// <summary>
/// A resumed TLS session sends no certificates; it must get exactly the verdict of the full handshake it resumes, and
/// never outlive a change of the trust list or a revocation. openssl s_client saves the session (<c>-sess_out</c>)
/// and resumes it (<c>-sess_in</c>), over TLS 1.2 (session ID or ticket) and TLS 1.3 (PSK ticket).
/// </summary>
public sealed class SessionResumptionTests : GatewayPerTest
{
    private const int SessionsPerClient = 3;

    private readonly TestPki partner = new("Partner");
    private readonly TempFolder folder = new();
    private TestCa issuing = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        issuing = await gateway.CreateIntermediateAsync(pki.Root, "CN=Resumption Issuing CA, O=MtlsGateway Tests");
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        issuing.Dispose();
        partner.Dispose();
        folder.Dispose();
    }

    [Theory]
    [InlineData("-tls1_2")]
    [InlineData("-tls1_3")]
    public async Task A_client_that_needs_its_intermediate_is_accepted_on_resumption(string protocol)
    {
        var client = WriteClient("needs-intermediate", issuing.Issue("CN=needs-intermediate, O=Tests"), issuing);

        var sessions = await EstablishSessionsAsync(client, protocol, full => Assert.True(OpenSslClient.StatusOf(full) == 200, full.Output));
        await ResumeAsync(client, protocol, sessions, resumed => Assert.True(OpenSslClient.StatusOf(resumed) == 200, resumed.Output));
    }

    [Theory]
    [InlineData("-tls1_2")]
    [InlineData("-tls1_3")]
    public async Task A_refused_client_is_refused_on_resumption_for_the_same_reason(string protocol)
    {
        var client = WriteClient("server-only", issuing.Issue("CN=server-only, O=Tests", profile => profile.ExtendedKeyUsages = [Oids.ServerAuth]), issuing);

        var sessions = await EstablishSessionsAsync(client, protocol, full => AssertRefused(full, "wrong-usage"));
        await ResumeAsync(client, protocol, sessions, resumed => AssertRefused(resumed, "wrong-usage"));
    }

    [Theory]
    [InlineData("-tls1_2")]
    [InlineData("-tls1_3")]
    public async Task A_session_of_a_handshake_without_the_intermediate_stays_refused_after_a_handshake_with_it(string protocol)
    {
        // The same leaf sent once without and once with its intermediate: resuming the first session must not
        // borrow the chain of the second.
        var leaf = issuing.Issue("CN=leaf-only, O=Tests");
        var leafOnly = WriteClient("leaf-only", leaf, chain: null);
        var withChain = WriteClient("leaf-with-chain", leaf, issuing);

        var sessions = await EstablishSessionsAsync(leafOnly, protocol, full => AssertRefused(full, "untrusted"));
        await EstablishSessionsAsync(withChain, protocol, full => Assert.True(OpenSslClient.StatusOf(full) == 200, full.Output));
        await ResumeAsync(leafOnly, protocol, sessions, resumed => AssertRefused(resumed, "untrusted"));
    }

    [Theory]
    [InlineData("-tls1_2")]
    [InlineData("-tls1_3")]
    public async Task A_session_resumed_after_the_client_was_revoked_is_refused(string protocol)
    {
        var leaf = issuing.Issue("CN=to-be-revoked, O=Tests");
        var client = WriteClient("to-be-revoked", leaf, issuing);
        var sessions = await EstablishSessionsAsync(client, protocol, full => Assert.True(OpenSslClient.StatusOf(full) == 200, full.Output));

        await gateway.PublishCrlAsync(issuing, [leaf]);

        await ResumeAsync(client, protocol, sessions, resumed => AssertRefused(resumed, "revoked"));
    }

    [Theory]
    [InlineData("-tls1_2")]
    [InlineData("-tls1_3")]
    public async Task A_session_resumed_after_its_CA_left_the_trust_list_is_refused(string protocol)
    {
        using var partnerIssuing = await gateway.CreateIntermediateAsync(partner.Root, "CN=Partner Issuing CA, O=MtlsGateway Tests");
        await gateway.PublishCrlAsync(partner.Root, []);
        var trustFile = Path.Combine(gateway.TrustFolder, "partner.pem");
        AtomicFile.Write(trustFile, partner.Root.Certificate.ExportCertificatePem());
        var client = WriteClient("partner-app", partnerIssuing.Issue("CN=partner-app, O=Tests"), partnerIssuing);
        await Eventually.ReturnsAsync(() => ConnectAsync(client, protocol, string.Empty), r => OpenSslClient.StatusOf(r) == 200, "the partner CA to be trusted");
        var sessions = await EstablishSessionsAsync(client, protocol, full => Assert.True(OpenSslClient.StatusOf(full) == 200, full.Output));

        File.Delete(trustFile);
        var other = WriteClient("partner-other", partnerIssuing.Issue("CN=partner-other, O=Tests"), partnerIssuing);
        await Eventually.ReturnsAsync(() => ConnectAsync(other, protocol, string.Empty), r => OpenSslClient.StatusOf(r) == 403, "the removed CA to be distrusted");

        // The old sessions still resume across the new server context (see the test below), but a session now and
        // then is not resumed on this shared machine: whether resumed or not, the answer is the same refusal.
        foreach (var session in sessions)
        {
            var result = await ConnectAsync(client, protocol, "-sess_in", session);
            AssertRefused(result, "untrusted");
        }
    }

    [Theory]
    [InlineData("-tls1_2")]
    [InlineData("-tls1_3")]
    public async Task Sessions_keep_resuming_across_a_trust_list_change_that_keeps_their_CA(string protocol)
    {
        var client = WriteClient("across-change", issuing.Issue("CN=across-change, O=Tests"), issuing);
        var sessions = await EstablishSessionsAsync(client, protocol, full => Assert.True(OpenSslClient.StatusOf(full) == 200, full.Output));

        // Another CA joins the trust list: a new trust list, a new validation epoch, and a new server certificate
        // context advertising both CAs. The sessions from before still resume, and are judged afresh.
        var trust = gateway.Services.GetRequiredService<MtlsGateway.Validation.Trust.TrustListProvider>();
        var before = trust.Current;
        AtomicFile.Write(Path.Combine(gateway.TrustFolder, "partner.pem"), partner.Root.Certificate.ExportCertificatePem());
        await Eventually.HoldsAsync(() => !ReferenceEquals(before, trust.Current), "the trust list to reload");

        await ResumeAsync(client, protocol, sessions, resumed => Assert.True(OpenSslClient.StatusOf(resumed) == 200, resumed.Output));
    }

    private static Regex ReasonPattern(string reason) => new($"\"reason\"\\s*:\\s*\"{reason}\"");

    private static void AssertRefused(ProcessResult result, string reason)
    {
        Assert.True(OpenSslClient.StatusOf(result) == 403, result.Output);
        Assert.Matches(ReasonPattern(reason), result.StandardOutput);
    }

    /// <summary>Full handshakes, each judged by <paramref name="verdict"/>, whose sessions are saved; returns the session files.</summary>
    private async Task<IReadOnlyList<string>> EstablishSessionsAsync(string client, string protocol, Action<ProcessResult> verdict)
    {
        var files = new List<string>();
        for (var i = 0; i < SessionsPerClient; i++)
        {
            var file = $"{client}.{files.Count}.session";
            var full = await ConnectAsync(client, protocol, "-sess_out", file);
            Assert.False(OpenSslClient.Resumed(full), full.Output);
            verdict(full);
            files.Add(file);
        }

        return files;
    }

    /// <summary>
    /// Resumes each session; every connection must get <paramref name="verdict"/>, and at least one must really have
    /// resumed (on this shared machine a session now and then is not resumed, and then the full handshake answers).
    /// </summary>
    private async Task ResumeAsync(string client, string protocol, IReadOnlyList<string> sessions, Action<ProcessResult> verdict)
    {
        var resumed = 0;
        foreach (var session in sessions)
        {
            var result = await ConnectAsync(client, protocol, "-sess_in", session);
            verdict(result);
            resumed += OpenSslClient.Resumed(result) ? 1 : 0;
        }

        Assert.True(resumed > 0, $"none of the {sessions.Count} sessions was resumed");
    }

    private Task<ProcessResult> ConnectAsync(string client, string protocol, string session, string? sessionFile = null)
    {
        List<string> options = ["-cert", client + ".crt", "-key", client + ".key", protocol];
        if (File.Exists(client + ".chain"))
        {
            options.AddRange(["-cert_chain", client + ".chain"]);
        }

        if (session.Length > 0)
        {
            options.AddRange([session, sessionFile ?? client + ".session"]);
        }

        return OpenSslClient.RequestAsync(gateway.Address.Port, options);
    }

    /// <summary>Writes the client's certificate, key and chain; returns the common prefix of their paths.</summary>
    private string WriteClient(string name, X509Certificate2 leaf, TestCa? chain)
    {
        var prefix = folder.PathOf(name);
        PemFiles.WriteCertificate(prefix + ".crt", leaf);
        PemFiles.WritePrivateKey(prefix + ".key", leaf);
        if (chain is not null)
        {
            PemFiles.WriteCertificate(prefix + ".chain", chain.PublicCertificate);
        }

        return prefix;
    }
}
