using System.Text.Json.Nodes;

namespace MtlsGateway.IntegrationTests.Harness;

/// <summary>
/// appsettings.json as an operator writes it, for the real executable: one mTLS endpoint on a free loopback port, the
/// trust and CRL folders <see cref="TestGateway.WriteContentRoot"/> writes, an admin listener on a free port, and one
/// route to an upstream. Tests edit the JSON before writing it.
/// </summary>
internal static class GatewaySettings
{
    public static JsonObject Create(Uri upstream) => new()
    {
        ["Kestrel"] = new JsonObject
        {
            ["Endpoints"] = new JsonObject
            {
                ["Gateway"] = new JsonObject { ["Url"] = "https://127.0.0.1:0", ["Certificate"] = new JsonObject { ["Path"] = "server.crt", ["KeyPath"] = "server.key" } },
            },
        },
        ["Gateway"] = new JsonObject
        {
            ["Admin"] = new JsonObject { ["Url"] = "http://127.0.0.1:0" },
            ["ClientCertificates"] = new JsonObject
            {
                ["TrustedCaFiles"] = new JsonArray("trust"),
                ["ReloadInterval"] = "00:00:01",
                ["Revocation"] = new JsonObject { ["CrlFiles"] = new JsonArray("crl"), ["FetchCrls"] = false, ["Ocsp"] = false },
            },
        },
        ["ReverseProxy"] = new JsonObject
        {
            ["Routes"] = new JsonObject { ["all"] = new JsonObject { ["ClusterId"] = "upstream", ["Match"] = new JsonObject { ["Path"] = "{**catch-all}" } } },
            ["Clusters"] = new JsonObject { ["upstream"] = new JsonObject { ["Destinations"] = new JsonObject { ["one"] = new JsonObject { ["Address"] = upstream.ToString() } } } },
        },
    };

    public static void Write(string contentRoot, JsonNode settings) =>
        File.WriteAllText(Path.Combine(contentRoot, "appsettings.json"), settings.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
}
