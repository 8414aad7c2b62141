using System.Net;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Http;
using MtlsGateway.TestSupport.Timing;

namespace MtlsGateway.IntegrationTests.Authorization;

/// <summary>Default policy, hidden policy names, and policies reloaded from appsettings.json without restart.</summary>
public sealed class AuthorizationConfigurationTests : GatewayPerTest
{
    private const string Settings = """
        {
          "Gateway": {
            "Authorization": {
              "DefaultPolicy": "__DEFAULT__",
              "HidePolicyNames": __HIDE__,
              "Policies": {
                "admins": { "Allow": [ { "CommonNames": [ "__ADMIN__" ] } ] },
                "partners": { "Allow": [ { "Organizations": [ "Partner" ] } ] }
              }
            }
          },
          "ReverseProxy": {
            "Routes": {
              "all": { "ClusterId": "upstream", "Match": { "Path": "{**catch-all}" } },
              "public": { "ClusterId": "upstream", "AuthorizationPolicy": "Anonymous", "Match": { "Path": "/public/{**rest}" } },
              "partner": { "ClusterId": "upstream", "AuthorizationPolicy": "partners", "Match": { "Path": "/partner/{**rest}" } },
              "default": { "ClusterId": "upstream", "AuthorizationPolicy": "Default", "Match": { "Path": "/default/{**rest}" } }
            }
          }
        }
        """;

    private protected override Task<TestGateway> StartGatewayAsync() =>
        TestGateway.StartAsync(pki, appsettingsJson: Render(admin: "root", hide: false));

    [Fact]
    public async Task Default_policy_applies_to_routes_without_one_and_to_the_Default_name()
    {
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/anything", "CN=root"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync("/anything", "CN=guest"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync("/default/x", "CN=guest"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/public/x", "CN=guest"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/partner/x", "CN=p, O=Partner"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync("/partner/x", "CN=root"));
    }

    [Fact]
    public async Task Policies_reload_without_restart_and_a_broken_reload_keeps_the_last_good_ones()
    {
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync("/anything", "CN=ops"));
        File.WriteAllText(Path.Combine(gateway.ContentRoot, "appsettings.json"), Render(admin: "ops", hide: true));
        await Eventually.HoldsAsync(async () => await StatusAsync("/anything", "CN=ops") == HttpStatusCode.OK, "the new policy to admit CN=ops");

        // Names are now hidden.
        using (var client = gateway.CreateClient(pki.Client("guest")))
        using (var response = await client.GetAsync("/anything"))
        {
            var problem = await ProblemAssert.RefusedAsync(response, "forbidden");
            Assert.False(problem.TryGetProperty("policy", out _));
            Assert.DoesNotContain("admins", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        // An unknown field is refused; the policies in force stay.
        File.WriteAllText(Path.Combine(gateway.ContentRoot, "appsettings.json"), Render(admin: "ops", hide: true).Replace("CommonNames", "CommonName", StringComparison.Ordinal));
        await Eventually.HoldsAsync(() => Task.FromResult(gateway.Logs.Events.Any(e => e.Message.Contains("Configuration reload refused", StringComparison.Ordinal) && e.Message.Contains("CommonName: unknown setting", StringComparison.Ordinal))), "the reload error");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/anything", "CN=ops"));

        // A value that does not validate (an empty rule value) is refused the same way, by the policies themselves.
        File.WriteAllText(Path.Combine(gateway.ContentRoot, "appsettings.json"), Render(admin: string.Empty, hide: true));
        await Eventually.HoldsAsync(() => Task.FromResult(gateway.Logs.Events.Any(e => e.Message.Contains("Authorization policies not reloaded", StringComparison.Ordinal))), "the reload error");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/anything", "CN=ops"));
    }

    [Fact]
    public async Task A_reload_that_brings_an_unknown_key_anywhere_is_refused_whole_and_said_in_one_line()
    {
        // The new file would admit CN=ops, but it also misspells a section: nothing of it is applied.
        var misspelt = Render(admin: "ops", hide: false).Replace("\"ReverseProxy\": {", "\"ReverseProxy\": { \"Route\": { },", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(gateway.ContentRoot, "appsettings.json"), misspelt);
        await Eventually.HoldsAsync(() => Task.FromResult(gateway.Logs.Events.Any(e => e.Message.Contains("Configuration reload refused", StringComparison.Ordinal))), "the refused reload");
        var refusals = gateway.Logs.Events.Where(e => e.Category.EndsWith("SettingsReloadGuard", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(refusals).Message;
        Assert.Contains("ReverseProxy:Route: unknown setting; did you mean ReverseProxy:Routes?", line, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", line, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync("/anything", "CN=ops"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/anything", "CN=root"));
    }

    [Fact]
    public async Task Refusal_names_the_policy_unless_hidden()
    {
        using var client = gateway.CreateClient(pki.Client("guest"));
        using var response = await client.GetAsync("/anything");
        var problem = await ProblemAssert.RefusedAsync(response, "forbidden");
        Assert.Equal("admins", problem.GetProperty("policy").GetString());
    }

    private static string Render(string admin, bool hide) =>
        Settings.Replace("__DEFAULT__", "admins", StringComparison.Ordinal)
            .Replace("__HIDE__", hide ? "true" : "false", StringComparison.Ordinal)
            .Replace("__ADMIN__", admin, StringComparison.Ordinal);

    private async Task<HttpStatusCode> StatusAsync(string path, string subject)
    {
        using var client = gateway.CreateClient(pki.Root.Issue(subject));
        using var response = await client.GetAsync(path);
        return response.StatusCode;
    }
}
