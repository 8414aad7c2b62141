using System.Text.Json.Nodes;
using MtlsGateway.IntegrationTests.Harness;

namespace MtlsGateway.IntegrationTests.Settings;

/// <summary>
/// The real executable with a settings file that does not parse or a value that does not convert: one line with the
/// 1-based line and column, the valid values of an enum, the expected TimeSpan format; exit code 1, no stack trace.
/// </summary>
public sealed class SettingsErrorsTests : IDisposable
{
    private readonly TestPki pki = new();
    private readonly string contentRoot;

    public SettingsErrorsTests() => contentRoot = TestGateway.WriteContentRoot(pki);

    public void Dispose()
    {
        pki.Dispose();
        Directory.Delete(contentRoot, recursive: true);
    }

    [Fact]
    public async Task A_JSON_syntax_error_names_the_file_with_a_one_based_line_and_column()
    {
        // Line 3 misses the colon after "Gateway".
        File.WriteAllText(Path.Combine(contentRoot, "appsettings.json"), "{\n  \"Kestrel\": {},\n  \"Gateway\" {}\n}\n");
        var error = await GatewayProcess.StartupErrorAsync(contentRoot);
        Assert.StartsWith($"MtlsGateway: cannot start: {Path.Combine(contentRoot, "appsettings.json")}: line 3, column 13: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_column_counts_characters_not_bytes_after_non_ASCII_text()
    {
        // "é" and "€" are 2 and 3 bytes in UTF-8; the missing comma is before character 20 of line 2 (byte 23).
        File.WriteAllText(Path.Combine(contentRoot, "appsettings.json"), "{\n  \"Note\": \"café €\" \"Gateway\": {}\n}\n");
        var error = await GatewayProcess.StartupErrorAsync(contentRoot);
        Assert.Contains(": line 2, column 20: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Garbage_instead_of_JSON_is_one_line()
    {
        File.WriteAllBytes(Path.Combine(contentRoot, "appsettings.json"), [0xFF, 0xFE, 0x00, 0x41, 0x1B, 0x5B, 0x33, 0x31, 0x6D, 0x0A, 0x7B]);
        var error = await GatewayProcess.StartupErrorAsync(contentRoot);
        Assert.Contains("appsettings.json: line 1", error, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Gateway:ClientCertificates:Revocation:Mode", "\"Strict\"", "Gateway:ClientCertificates:Revocation:Mode: 'Strict' is not one of ")]
    [InlineData("Gateway:ClientCertificates:Revocation:Mode", "\"Réquire\"", "Gateway:ClientCertificates:Revocation:Mode: 'Réquire' is not one of ")]
    [InlineData("Gateway:ClientCertificates:ClockSkew", "\"5m\"", "Gateway:ClientCertificates:ClockSkew: '5m' is not a time span; write [d.]hh:mm:ss[.fff], e.g. 00:05:00")]
    [InlineData("Gateway:ClientCertificates:RequireClientAuthEku", "\"yes\"", "Gateway:ClientCertificates:RequireClientAuthEku: 'yes' is not true or false")]
    [InlineData("Gateway:ClientCertificates:MinimumKeySize", "\"2k\"", "Gateway:ClientCertificates:MinimumKeySize: '2k' is not a whole number from ")]
    [InlineData("Kestrel:Endpoints:Gateway:ClientCertificateMode", "\"Required\"", "Kestrel:Endpoints:Gateway:ClientCertificateMode: 'Required' is not one of NoCertificate, AllowCertificate, RequireCertificate, DelayCertificate")]
    public async Task A_value_that_does_not_convert_is_one_line_saying_what_is_expected(string key, string json, string expected)
    {
        var settings = GatewaySettings.Create(new Uri("http://127.0.0.1:9/"));
        var path = key.Split(':');
        JsonNode node = settings;
        foreach (var segment in path[..^1])
        {
            node = node[segment] ??= new JsonObject();
        }

        node[path[^1]] = JsonNode.Parse(json);
        GatewaySettings.Write(contentRoot, settings);
        var error = await GatewayProcess.StartupErrorAsync(contentRoot);
        Assert.StartsWith("MtlsGateway: cannot start: " + expected, error, StringComparison.Ordinal);
        if (key.EndsWith("Mode", StringComparison.Ordinal) && key.Contains("Revocation", StringComparison.Ordinal))
        {
            Assert.EndsWith("is not one of Require, BestEffort, Off", error, StringComparison.Ordinal);
        }
    }
}
