using System.Net;
using System.Text.Json;

namespace MtlsGateway.IntegrationTests.Harness;

/// <summary>Reads what the echo upstream saw.</summary>
internal static class Echo
{
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200 from the upstream, got {(int)response.StatusCode}: {body}");
        var echo = JsonDocument.Parse(body).RootElement;
        Assert.Equal("MtlsGateway development echo", echo.GetProperty("upstream").GetString());
        return echo;
    }

    /// <summary>A header the upstream received (names compared case-insensitively), or null.</summary>
    public static string? Header(JsonElement echo, string name) =>
        echo.GetProperty("headers").EnumerateObject()
            .Where(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            .Select(p => p.Value.GetString())
            .FirstOrDefault();
}
