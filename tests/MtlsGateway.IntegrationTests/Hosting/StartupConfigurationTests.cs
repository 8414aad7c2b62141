using System.Text.Json.Nodes;
using MtlsGateway.IntegrationTests.Harness;

namespace MtlsGateway.IntegrationTests.Hosting;

/// <summary>A bad setting stops the real executable with one readable line naming the key, and a non-zero exit code.</summary>
public sealed class StartupConfigurationTests : IDisposable
{
    private readonly TestPki pki = new();
    private readonly string contentRoot;

    public StartupConfigurationTests() => contentRoot = TestGateway.WriteContentRoot(pki);

    public void Dispose()
    {
        pki.Dispose();
        Directory.Delete(contentRoot, recursive: true);
    }

    [Fact]
    public async Task Missing_trust_file_names_the_setting_and_the_file()
    {
        var error = await StartWithAsync(settings => settings["Gateway"]!["ClientCertificates"]!["TrustedCaFiles"] = new JsonArray("trust/missing.pem"));
        Assert.Contains("Gateway:ClientCertificates:TrustedCaFiles", error, StringComparison.Ordinal);
        Assert.Contains("missing.pem: no such file or folder", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreadable_PEM_is_a_configuration_error()
    {
        File.WriteAllText(Path.Combine(contentRoot, "trust", "root.pem"), "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");
        var error = await StartWithAsync(_ => { });
        Assert.Contains("Gateway:ClientCertificates:TrustedCaFiles", error, StringComparison.Ordinal);
        Assert.Contains("root.pem", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_leaf_certificate_in_the_trust_list_is_refused()
    {
        using var leaf = pki.Client("not-a-ca");
        File.WriteAllText(Path.Combine(contentRoot, "trust", "root.pem"), leaf.ExportCertificatePem());
        var error = await StartWithAsync(_ => { });
        Assert.Contains("is not a CA certificate", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_trust_list_is_refused()
    {
        var error = await StartWithAsync(settings => settings["Gateway"]!["ClientCertificates"]!["TrustedCaFiles"] = new JsonArray());
        Assert.Contains("Gateway:ClientCertificates:TrustedCaFiles: at least one trusted CA", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_http_endpoint_is_refused()
    {
        var error = await StartWithAsync(settings => settings["Kestrel"]!["Endpoints"]!["Gateway"]!["Url"] = "http://127.0.0.1:0");
        Assert.Contains("Kestrel:Endpoints:Gateway:Url", error, StringComparison.Ordinal);
        Assert.Contains("not an https:// URL", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_server_certificate_names_the_setting()
    {
        var error = await StartWithAsync(settings => settings["Kestrel"]!["Endpoints"]!["Gateway"]!["Certificate"]!["Path"] = "nowhere.crt");
        Assert.Contains("Kestrel:Endpoints:Gateway:Certificate:Path", error, StringComparison.Ordinal);
        Assert.Contains("nowhere.crt: no such file", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Negative_clock_skew_is_refused()
    {
        var error = await StartWithAsync(settings => settings["Gateway"]!["ClientCertificates"]!["ClockSkew"] = "-00:01:00");
        Assert.Contains("Gateway:ClientCertificates:ClockSkew", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Route_naming_an_unknown_policy_is_refused()
    {
        var error = await StartWithAsync(settings => settings["ReverseProxy"]!["Routes"]!["all"]!["AuthorizationPolicy"] = "nobody");
        Assert.Contains("ReverseProxy:Routes:all:AuthorizationPolicy: no policy named 'nobody'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_rule_field_is_refused()
    {
        var error = await StartWithAsync(settings => settings["Gateway"]!["Authorization"] = JsonNode.Parse("""{ "Policies": { "p": { "Allow": [ { "CommonName": [ "a" ] } ] } } }"""));
        Assert.EndsWith("Gateway:Authorization:Policies:p:Allow:0:CommonName: unknown setting; did you mean Gateway:Authorization:Policies:p:Allow:0:CommonNames?", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_rule_is_refused()
    {
        var error = await StartWithAsync(settings => settings["Gateway"]!["Authorization"] = JsonNode.Parse("""{ "Policies": { "p": { "Allow": [ { "CommonNames": [ ] } ] } } }"""));
        Assert.Contains("Gateway:Authorization:Policies:p", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_default_policy_is_refused()
    {
        var error = await StartWithAsync(settings => settings["Gateway"]!["Authorization"] = JsonNode.Parse("""{ "DefaultPolicy": "ghost", "Policies": { } }"""));
        Assert.Contains("Gateway:Authorization:DefaultPolicy: no policy named 'ghost'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_identity_forwarding_format_is_refused()
    {
        var error = await StartWithAsync(settings => settings["ReverseProxy"]!["Routes"]!["all"]!["Transforms"] = JsonNode.Parse("""[ { "ForwardClientCert": "Spiffe" } ]"""));
        Assert.Contains("ReverseProxy:Routes:all:Transforms: ForwardClientCert: 'Spiffe' is not one of None, Xfcc, Rfc9440", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_misspelt_section_that_would_fail_open_stops_start_up_naming_the_closest_known_one()
    {
        // British spelling: without the check the policy is ignored and every validated client gets in.
        var error = await StartWithAsync(settings => settings["Gateway"]!["Authorisation"] = JsonNode.Parse("""{ "DefaultPolicy": "admins", "Policies": { "admins": { "Allow": [ { "CommonNames": [ "root" ] } ] } } }"""));
        Assert.Equal("MtlsGateway: cannot start: Gateway:Authorisation: unknown setting; did you mean Gateway:Authorization?", error);
    }

    [Fact]
    public async Task A_misspelt_client_certificates_section_is_named_rather_than_reported_as_a_missing_trust_list()
    {
        var error = await StartWithAsync(settings =>
        {
            var gateway = settings["Gateway"]!.AsObject();
            var section = gateway["ClientCertificates"]!.DeepClone();
            gateway.Remove("ClientCertificates");
            gateway["ClientCertficates"] = section;
        });
        Assert.Equal("MtlsGateway: cannot start: Gateway:ClientCertficates: unknown setting; did you mean Gateway:ClientCertificates?", error);
    }

    [Theory]
    [InlineData("Gateway:ClientCertificates:Revocation", "Mod", "Require", "Gateway:ClientCertificates:Revocation:Mod: unknown setting; did you mean Gateway:ClientCertificates:Revocation:Mode?")]
    [InlineData("Gateway:Admin", "Uri", "http://127.0.0.1:0", "Gateway:Admin:Uri: unknown setting; did you mean Gateway:Admin:Url?")]
    [InlineData("Gateway", "OutboundIdentityProbeIntervall", "00:00:05", "Gateway:OutboundIdentityProbeIntervall: unknown setting; did you mean Gateway:OutboundIdentityProbeInterval?")]
    [InlineData("Gateway", "AllowUnderscoreInHeaderNames", "true", "Gateway:AllowUnderscoreInHeaderNames: unknown setting; did you mean Gateway:AllowUnderscoresInHeaderNames?")]
    [InlineData("Gateway", "Allow_Underscores_In_Header_Names", "true", "Gateway:Allow_Underscores_In_Header_Names: unknown setting; did you mean Gateway:AllowUnderscoresInHeaderNames?")]
    [InlineData("Gateway", "ClientIdentityHeader", "X-Partner", "Gateway:ClientIdentityHeader: unknown setting; did you mean Gateway:ClientIdentityHeaders?")]
    [InlineData("Kestrel:Limits", "MaxConcurentConnections", "100", "Kestrel:Limits:MaxConcurentConnections: unknown setting; did you mean Kestrel:Limits:MaxConcurrentConnections?")]
    [InlineData("Kestrel:Limits:Http2", "MaxStreamsPerConection", "10", "Kestrel:Limits:Http2:MaxStreamsPerConection: unknown setting; did you mean Kestrel:Limits:Http2:MaxStreamsPerConnection?")]
    [InlineData("Kestrel:Endpoints:Gateway", "ClientCertificateMod", "AllowCertificate", "Kestrel:Endpoints:Gateway:ClientCertificateMod: unknown setting; did you mean Kestrel:Endpoints:Gateway:ClientCertificateMode?")]
    [InlineData("Kestrel:Endpoints:Gateway:Certificate", "Keypth", "server.key", "Kestrel:Endpoints:Gateway:Certificate:Keypth: unknown setting; did you mean Kestrel:Endpoints:Gateway:Certificate:KeyPath?")]
    [InlineData("ReverseProxy:Routes:all", "Cluster", "upstream", "ReverseProxy:Routes:all:Cluster: unknown setting; did you mean ReverseProxy:Routes:all:ClusterId?")]
    [InlineData("ReverseProxy:Routes:all:Match", "Pth", "/x", "ReverseProxy:Routes:all:Match:Pth: unknown setting; did you mean ReverseProxy:Routes:all:Match:Path?")]
    [InlineData("ReverseProxy:Routes:all", "AuthorisationPolicy", "admins", "ReverseProxy:Routes:all:AuthorisationPolicy: unknown setting; did you mean ReverseProxy:Routes:all:AuthorizationPolicy?")]
    [InlineData("ReverseProxy:Clusters:upstream", "LoadBalancing", "RoundRobin", "ReverseProxy:Clusters:upstream:LoadBalancing: unknown setting; did you mean ReverseProxy:Clusters:upstream:LoadBalancingPolicy?")]
    [InlineData("ReverseProxy:Clusters:upstream:Destinations:one", "Adress", "http://127.0.0.1:9/", "ReverseProxy:Clusters:upstream:Destinations:one:Adress: unknown setting; did you mean ReverseProxy:Clusters:upstream:Destinations:one:Address?")]
    [InlineData("ReverseProxy", "Route", "x", "ReverseProxy:Route: unknown setting; did you mean ReverseProxy:Routes?")]
    public async Task An_unknown_key_stops_start_up_with_one_line_naming_it_and_the_closest_known_key(string parent, string key, string value, string expected)
    {
        var error = await StartWithAsync(settings => At(settings, parent)[key] = value);
        Assert.Equal("MtlsGateway: cannot start: " + expected, error);
    }

    [Theory]
    [InlineData("X-Partner*Id", "'X-Partner*Id' is not a header name, nor a header name prefix followed by one '*'")]
    [InlineData("*", "'*' is not a header name, nor a header name prefix followed by one '*'")]
    [InlineData("X Partner", "'X Partner' is not a header name, nor a header name prefix followed by one '*'")]
    [InlineData("X-Partner:", "'X-Partner:' is not a header name, nor a header name prefix followed by one '*'")]
    [InlineData("X‐Partner", "is not a header name, nor a header name prefix followed by one '*'")]
    [InlineData("", "'' is not a header name, nor a header name prefix followed by one '*'")]
    public async Task A_client_identity_header_that_is_no_header_name_is_refused_naming_its_key(string entry, string expected)
    {
        // A name no client can send would remove nothing: a typo there must not pass for protection.
        var error = await StartWithAsync(settings => settings["Gateway"]!["ClientIdentityHeaders"] = new JsonArray("X-Partner-Identity", entry));
        Assert.Contains("Gateway:ClientIdentityHeaders:1: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"X-Partner-Identity\"", "Gateway:ClientIdentityHeaders: expected a list ([ ... ]), got a single value")]
    [InlineData("\"yes\"", "Gateway:AllowUnderscoresInHeaderNames")]
    public async Task Header_settings_of_the_wrong_shape_are_refused(string value, string expected)
    {
        var key = expected.Split(':')[1];
        var error = await StartWithAsync(settings => settings["Gateway"]![key] = JsonNode.Parse(value));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("\"many\"")]
    public async Task A_connection_limit_Kestrel_cannot_use_stops_start_up_naming_it(string value)
    {
        var error = await StartWithAsync(settings => At(settings, "Kestrel:Limits")["MaxConcurrentConnections"] = JsonNode.Parse(value));
        Assert.StartsWith("MtlsGateway: cannot start: Kestrel:Limits", error, StringComparison.Ordinal);
        Assert.Contains("MaxConcurrentConnections", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Kestrel_limit_the_binder_cannot_set_is_refused_rather_than_ignored()
    {
        // MinRequestBodyDataRate is a get-only object: configuration cannot change it, so naming it is an error.
        var error = await StartWithAsync(settings => At(settings, "Kestrel:Limits:MinRequestBodyDataRate")["BytesPerSecond"] = 240);
        Assert.StartsWith("MtlsGateway: cannot start: Kestrel:Limits:MinRequestBodyDataRate: unknown setting", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task YARP_metadata_and_transforms_stay_free_form()
    {
        // Start-up gets past the known-keys check (and fails later, on purpose, on the unknown policy name).
        var error = await StartWithAsync(settings =>
        {
            settings["ReverseProxy"]!["Clusters"]!["upstream"]!["Metadata"] = JsonNode.Parse("""{ "Owner": "payments", "anything-goes": "yes" }""");
            settings["ReverseProxy"]!["Routes"]!["all"]!["Transforms"] = JsonNode.Parse("""[ { "RequestHeader": "X-Team", "Set": "payments" } ]""");
            settings["ReverseProxy"]!["Routes"]!["all"]!["AuthorizationPolicy"] = "nobody";
        });
        Assert.Contains("ReverseProxy:Routes:all:AuthorizationPolicy: no policy named 'nobody'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_with_a_trailing_space_is_unknown_and_shown_quoted()
    {
        var error = await StartWithAsync(settings => settings["Gateway"]!["Authorization "] = JsonNode.Parse("""{ "DefaultPolicy": "admins" }"""));
        Assert.Equal("MtlsGateway: cannot start: 'Gateway:Authorization ': unknown setting (the name has leading or trailing white space); did you mean Gateway:Authorization?", error);
    }

    [Fact]
    public async Task Two_keys_differing_only_by_case_are_refused()
    {
        var error = await StartWithAsync(settings =>
        {
            settings["Gateway"]!["Authorization"] = JsonNode.Parse("""{ "DefaultPolicy": "admins" }""");
            settings["Gateway"]!["authorization"] = JsonNode.Parse("""{ "HidePolicyNames": true }""");
        });
        Assert.Equal("MtlsGateway: cannot start: Gateway:authorization: given twice in appsettings.json with different case (keys compare case-insensitively, so one would silently replace the other)", error);
    }

    [Fact]
    public async Task A_section_given_as_a_single_value_is_refused()
    {
        var error = await StartWithAsync(settings => settings["Gateway"]!["Authorization"] = "admins");
        Assert.Equal("MtlsGateway: cannot start: Gateway:Authorization: expected a section of settings (DefaultPolicy, HidePolicyNames, Policies), got a single value", error);
    }

    [Fact]
    public async Task A_list_where_a_section_is_expected_is_refused()
    {
        var error = await StartWithAsync(settings => settings["Gateway"]!["Authorization"] = JsonNode.Parse("""[ { "DefaultPolicy": "admins" } ]"""));
        Assert.Equal("MtlsGateway: cannot start: Gateway:Authorization: expected a section of settings (DefaultPolicy, HidePolicyNames, Policies), got a list", error);
    }

    [Fact]
    public async Task A_single_value_where_a_list_is_expected_is_refused()
    {
        var error = await StartWithAsync(settings => settings["Gateway"]!["ClientCertificates"]!["TrustedCaFiles"] = "trust");
        Assert.Equal("MtlsGateway: cannot start: Gateway:ClientCertificates:TrustedCaFiles: expected a list ([ ... ]), got a single value", error);
    }

    [Fact]
    public async Task A_section_where_a_single_value_is_expected_is_refused()
    {
        var error = await StartWithAsync(settings => settings["Gateway"]!["Admin"] = JsonNode.Parse("""{ "Url": { "Host": "127.0.0.1" } }"""));
        Assert.Equal("MtlsGateway: cannot start: Gateway:Admin:Url: expected a single value, got a section of settings", error);
    }

    private static JsonNode At(JsonNode settings, string path)
    {
        var node = settings;
        foreach (var segment in path.Split(':'))
        {
            node = node[segment] ??= new JsonObject();
        }

        return node;
    }

    /// <summary>Writes appsettings.json (valid, then edited by the test), runs the gateway, and checks the shape of the failure.</summary>
    [Theory]
    [InlineData("2.16.840.01.101", "Gateway:ClientCertificates:Policies:Acceptable:1: '2.16.840.01.101' has an arc with a leading zero")]
    [InlineData("policy-1", "Gateway:ClientCertificates:Policies:Acceptable:1: 'policy-1' is not a dotted object identifier")]
    [InlineData("2.5.", "Gateway:ClientCertificates:Policies:Acceptable:1: '2.5.' is not a dotted object identifier")]
    public async Task An_acceptable_policy_that_is_not_a_canonical_oid_is_refused_naming_its_key(string oid, string expected)
    {
        var error = await StartWithAsync(settings => settings["Gateway"]!["ClientCertificates"]!["Policies"] = new JsonObject
        {
            ["Acceptable"] = new JsonArray("2.16.840.1.101.3.2.1.48.1", oid),
            ["RequireExplicitPolicy"] = true,
        });
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MinimumKeySize", "512", "Gateway:ClientCertificates:MinimumKeySize: 512 is outside 1024..16384 bits")]
    [InlineData("MinimumKeySize", "100000", "Gateway:ClientCertificates:MinimumKeySize: 100000 is outside 1024..16384 bits")]
    [InlineData("RequireEkuExtension", "true", "Gateway:ClientCertificates:RequireEkuExtension: requires RequireClientAuthEku")]
    public async Task Crypto_and_usage_settings_are_validated(string key, string value, string expected)
    {
        var error = await StartWithAsync(settings =>
        {
            var section = settings["Gateway"]!["ClientCertificates"]!;
            section[key] = JsonNode.Parse(value);
            section["RequireClientAuthEku"] = false;
        });
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    private async Task<string> StartWithAsync(Action<JsonNode> edit)
    {
        var settings = new JsonObject
        {
            ["Kestrel"] = new JsonObject { ["Endpoints"] = new JsonObject { ["Gateway"] = new JsonObject { ["Url"] = "https://127.0.0.1:0", ["Certificate"] = new JsonObject { ["Path"] = "server.crt", ["KeyPath"] = "server.key" } } } },
            ["Gateway"] = new JsonObject { ["ClientCertificates"] = new JsonObject { ["TrustedCaFiles"] = new JsonArray("trust") } },
            ["ReverseProxy"] = new JsonObject
            {
                ["Routes"] = new JsonObject { ["all"] = new JsonObject { ["ClusterId"] = "upstream", ["Match"] = new JsonObject { ["Path"] = "{**catch-all}" } } },
                ["Clusters"] = new JsonObject { ["upstream"] = new JsonObject { ["Destinations"] = new JsonObject { ["one"] = new JsonObject { ["Address"] = "http://127.0.0.1:9/" } } } },
            },
        };
        edit(settings);
        File.WriteAllText(Path.Combine(contentRoot, "appsettings.json"), settings.ToJsonString());

        var result = await GatewayProcess.RunAsync(contentRoot);
        Assert.Equal(1, result.ExitCode);
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("MtlsGateway: cannot start: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        return line;
    }
}
