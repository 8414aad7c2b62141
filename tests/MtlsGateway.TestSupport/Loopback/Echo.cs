using System.Net;
using System.Text.Json;
using Xunit;

namespace MtlsGateway.TestSupport.Loopback;

/// <summary>Reads what <see cref="TestUpstream"/>'s echo saw, asserting the request did reach it.</summary>
public static class Echo
{
    public static async Task<EchoAnswer> ReadAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200 from the upstream, got {(int)response.StatusCode}: {body}");
        var answer = JsonSerializer.Deserialize<EchoAnswer>(body, JsonSerializerOptions.Web);
        Assert.Equal(EchoAnswer.Name, answer?.Upstream);
        return answer!;
    }
}
