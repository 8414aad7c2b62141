using System.Net;
using System.Text.Json;
using Xunit;

namespace MtlsGateway.TestSupport.Http;

/// <summary>Asserts the gateway's refusals: problem+json with a reason code, and nothing internal in the body.</summary>
public static class ProblemAssert
{
    /// <summary>Asserts a 403 problem+json refusal with the given reason code, and returns its body.</summary>
    public static async Task<JsonElement> RefusedAsync(HttpResponseMessage response, string reason)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"expected 403, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(reason, problem.GetProperty("reason").GetString());
        Assert.Equal(403, problem.GetProperty("status").GetInt32());
        Assert.DoesNotContain("/tmp", body, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"at [\w.`]+\(", body); // no stack frame
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        return problem;
    }
}
