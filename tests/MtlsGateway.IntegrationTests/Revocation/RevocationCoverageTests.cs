using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using MtlsGateway.Admin;
using MtlsGateway.IntegrationTests.Harness;

namespace MtlsGateway.IntegrationTests.Revocation;

/// <summary>
/// Under <c>Mode: Require</c> with only CRL files, a trust anchor whose CRL is not among them: a start-up warning naming
/// it, named in <c>/status</c> and the readiness detail; not ready when that is every anchor.
/// </summary>
public sealed class RevocationCoverageTests : IDisposable
{
    private readonly TestPki pki = new("Zürich Ünïcode");
    private readonly TestPki other = new("Other");

    public void Dispose()
    {
        pki.Dispose();
        other.Dispose();
    }

    [Fact]
    public async Task A_lone_anchor_without_a_CRL_is_warned_about_and_makes_the_instance_not_ready()
    {
        await using var gateway = await StartAsync(trustOther: false);
        var warning = Assert.Single(gateway.Logs.Events, e => e.EventId.Name == "TrustAnchorWithoutRevocationSource");
        Assert.Contains(pki.Root.Certificate.Subject, warning.Message, StringComparison.Ordinal);

        using var admin = new HttpClient { BaseAddress = gateway.Services.GetRequiredService<AdminListener>().Address };
        var (status, ready) = await ReadinessAsync(admin);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var revocation = ready["checks"]!.AsArray().Single(check => (string?)check!["name"] == "revocation")!;
        Assert.False((bool)revocation["ready"]!);
        Assert.Contains("every client would be refused revocation-unknown", (string?)revocation["detail"], StringComparison.Ordinal);
        Assert.Contains(pki.Root.Certificate.Subject, (string?)revocation["detail"], StringComparison.Ordinal);

        var anchors = JsonNode.Parse(await admin.GetStringAsync("/status"))!["revocation"]!["anchorsWithoutSource"]!.AsArray();
        Assert.Equal(pki.Root.Certificate.Subject, (string?)Assert.Single(anchors));

        // What readiness says is what clients get.
        using var client = gateway.CreateClient(pki.Client("uncovered"));
        using var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("revocation-unknown", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_another_anchor_covered_the_instance_stays_ready_and_names_the_uncovered_one()
    {
        await using var gateway = await StartAsync(trustOther: true);
        using var admin = new HttpClient { BaseAddress = gateway.Services.GetRequiredService<AdminListener>().Address };
        var (status, ready) = await ReadinessAsync(admin);
        Assert.Equal(HttpStatusCode.OK, status);
        var detail = (string?)ready["checks"]!.AsArray().Single(check => (string?)check!["name"] == "revocation")!["detail"];
        Assert.Contains("no revocation source for trust anchor(s): " + pki.Root.Certificate.Subject, detail, StringComparison.Ordinal);
        Assert.DoesNotContain(other.Root.Certificate.Subject, detail, StringComparison.Ordinal);

        // The covered anchor's client gets in.
        using var client = gateway.CreateClient(other.Client("covered"));
        using var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task No_warning_when_the_anchor_has_its_CRL_or_other_sources_are_on()
    {
        await using (var covered = await TestGateway.StartAsync(pki, new Dictionary<string, string?>
        {
            ["Gateway:ClientCertificates:Revocation:FetchCrls"] = "false",
            ["Gateway:ClientCertificates:Revocation:Ocsp"] = "false",
        }))
        {
            Assert.DoesNotContain(covered.Logs.Events, e => e.EventId.Name == "TrustAnchorWithoutRevocationSource");
        }
    }

    private async Task<TestGateway> StartAsync(bool trustOther)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:ClientCertificates:Revocation:Mode"] = "Require",
            ["Gateway:ClientCertificates:Revocation:FetchCrls"] = "false",
            ["Gateway:ClientCertificates:Revocation:Ocsp"] = "false",
            ["Gateway:ClientCertificates:Revocation:CrlFiles:0"] = "other-crl",
        };
        if (trustOther)
        {
            settings["Gateway:ClientCertificates:TrustedCaFiles:1"] = "other-trust";
        }

        // The content root is written by the gateway harness; the other CA's files go next to it before start.
        var gateway = await TestGateway.StartAsync(pki, settings, services: _ => { }, prepare: contentRoot =>
        {
            Directory.CreateDirectory(Path.Combine(contentRoot, "other-crl"));
            File.WriteAllBytes(Path.Combine(contentRoot, "other-crl", "other.crl"), other.Root.CreateCrl());
            Directory.CreateDirectory(Path.Combine(contentRoot, "other-trust"));
            File.WriteAllText(Path.Combine(contentRoot, "other-trust", "other.pem"), other.Root.Certificate.ExportCertificatePem());
        });
        return gateway;
    }

    private static async Task<(HttpStatusCode Status, JsonNode Body)> ReadinessAsync(HttpClient admin)
    {
        using var response = await admin.GetAsync("/healthz/ready");
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}
