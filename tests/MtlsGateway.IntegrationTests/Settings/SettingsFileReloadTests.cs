using System.Net;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Files;
using MtlsGateway.TestSupport.Timing;

namespace MtlsGateway.IntegrationTests.Settings;

/// <summary>
/// appsettings.json replaced with garbage, half-written, or deleted under a running gateway: the last good routes and
/// policies keep serving, one line names the file (and the line of the mistake), and a good file applies again.
/// </summary>
public sealed class SettingsFileReloadTests : IDisposable
{
    // The file brings the route and an authorization policy: if the file's settings were emptied, the route would vanish
    // (404) and the policy with it.
    private const string Good = """
        {
          "Gateway": { "Authorization": { "Policies": { "tests": { "Allow": [ { "Organizations": [ "Tests" ] } ] } } } },
          "ReverseProxy": { "Routes": { "all": { "ClusterId": "upstream", "AuthorizationPolicy": "tests", "Match": { "Path": "{**catch-all}" } } } }
        }
        """;

    private readonly TestPki pki = new();

    public void Dispose() => pki.Dispose();

    [Fact]
    public async Task Garbage_a_half_written_file_and_a_deleted_file_keep_the_last_good_settings()
    {
        await using var gateway = await TestGateway.StartAsync(pki, appsettingsJson: Good);
        using var client = gateway.CreateClient(pki.Client("steady"));
        var file = Path.Combine(gateway.ContentRoot, "appsettings.json");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client));

        // Binary garbage with an escape sequence, then a save cut off half-way (line 3), then no file at all.
        AtomicFile.Write(file, "\u001b[31m\0\u00ff garbage");
        await Eventually.HoldsAsync(() => Refusals(gateway).Any(message => message.Contains(file + ": line 1, column 1: ", StringComparison.Ordinal)), "the garbage to be reported");
        Assert.DoesNotContain(Refusals(gateway), message => message.Contains('\u001b', StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client));

        AtomicFile.Write(file, Good[..(Good.IndexOf("\"ReverseProxy\"", StringComparison.Ordinal) + 20)]);
        await Eventually.HoldsAsync(() => Refusals(gateway).Any(message => message.Contains(file + ": line 3, column ", StringComparison.Ordinal)), "the cut-off file to be reported");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client));

        File.Delete(file);
        await Eventually.HoldsAsync(() => Refusals(gateway).Any(message => message.EndsWith(file + ": missing", StringComparison.Ordinal)), "the deletion to be reported");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client));

        // The policy still applies: a client outside the organisation is refused, so the settings were not emptied.
        using (var outsider = gateway.CreateClient(pki.Root.Issue("CN=outsider, O=Elsewhere")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(outsider));
        }

        // A good file again: applied (the route now only matches /v2/...).
        AtomicFile.Write(file, Good.Replace("{**catch-all}", "/v2/{**rest}", StringComparison.Ordinal));
        await Eventually.HoldsAsync(async () => await StatusAsync(client) == HttpStatusCode.NotFound, "the good file to apply");
        using var v2 = await client.GetAsync("/v2/x");
        Assert.Equal(HttpStatusCode.OK, v2.StatusCode);
    }

    private static List<string> Refusals(TestGateway gateway) =>
        gateway.Logs.Events.Where(e => e.EventId.Name == "SettingsFileNotReloaded").Select(e => e.Message).ToList();

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/orders");
        return response.StatusCode;
    }
}
