using MtlsGateway.IntegrationTests.Harness;

namespace MtlsGateway.IntegrationTests.Cli;

/// <summary>
/// The real executable with a mistyped verb or option: one line listing the verbs (with the closest one), exit code 1,
/// and no gateway started, even in a folder whose appsettings.json would start one. Host options and settings given
/// on the command line still pass, through the same checks as appsettings.json.
/// </summary>
public sealed class GatewayArgumentsTests : IDisposable
{
    private const string Verbs = "commands: check-cert, dev-pki, token, healthcheck (MtlsGateway <command> --help)";
    private readonly TestPki pki = new();
    private readonly string contentRoot;

    public GatewayArgumentsTests()
    {
        contentRoot = TestGateway.WriteContentRoot(pki);
        GatewaySettings.Write(contentRoot, GatewaySettings.Create(new Uri("http://127.0.0.1:9/")));
    }

    public void Dispose()
    {
        pki.Dispose();
        Directory.Delete(contentRoot, recursive: true);
    }

    [Fact]
    public async Task A_mistyped_verb_lists_the_verbs_and_suggests_the_closest()
    {
        var error = await GatewayProcess.StartupErrorAsync(contentRoot, null, "chek-cert", "client.crt");
        Assert.StartsWith($"MtlsGateway: unknown command 'chek-cert'; did you mean check-cert? {Verbs}", error, StringComparison.Ordinal);

        var far = await GatewayProcess.StartupErrorAsync(contentRoot, null, "frobnicate");
        Assert.StartsWith($"MtlsGateway: unknown command 'frobnicate'; {Verbs}", far, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--urls", "http://0.0.0.0:8080", "unknown option '--urls'")]
    [InlineData("--verbose", null, "unknown option '--verbose'")]
    [InlineData("urls=http://0.0.0.0:8080", null, "unknown option 'urls'")]
    [InlineData("--preferHostingUrls=true", null, "unknown option '--preferHostingUrls'")]
    [InlineData("--environment", null, "--environment needs a value")]
    public async Task An_unknown_or_incomplete_option_is_refused_instead_of_starting(string option, string? value, string expected)
    {
        string[] arguments = value is null ? [option] : [option, value];
        var error = await GatewayProcess.StartupErrorAsync(contentRoot, null, arguments);
        Assert.StartsWith($"MtlsGateway: {expected}; {Verbs}", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mistyped_option_or_subcommand_of_a_verb_is_one_line()
    {
        Assert.Equal(
            "MtlsGateway check-cert: Unrecognized command or argument '--bogus' (see MtlsGateway check-cert --help)",
            await GatewayProcess.StartupErrorAsync(contentRoot, null, "check-cert", "client.crt", "--bogus"));
        Assert.Equal(
            "MtlsGateway token: Unrecognized command or argument 'lst'; did you mean list? (see MtlsGateway token --help)",
            await GatewayProcess.StartupErrorAsync(contentRoot, null, "token", "lst"));
    }

    [Fact]
    public async Task Environment_content_root_and_settings_on_the_command_line_pass_through_the_same_checks()
    {
        // --environment: appsettings.Staging.json is read, and its bad admin URL is reported.
        File.WriteAllText(Path.Combine(contentRoot, "appsettings.Staging.json"), """{ "Gateway": { "Admin": { "Url": "http://127.0.0.1" } } }""");
        var staging = await GatewayProcess.StartupErrorAsync(contentRoot, null, "--environment", "Staging");
        Assert.StartsWith("MtlsGateway: cannot start: Gateway:Admin:Url: 'http://127.0.0.1' is not of the form http://host:port", staging, StringComparison.Ordinal);

        // A setting on the command line is checked like one in the file: known keys only.
        var misspelt = await GatewayProcess.StartupErrorAsync(contentRoot, null, "--Gateway:Authorisation:DefaultPolicy=admins");
        Assert.Equal("MtlsGateway: cannot start: Gateway:Authorisation: unknown setting; did you mean Gateway:Authorization?", misspelt);

        // --contentRoot from another folder: that folder's appsettings.json is read (and its problem named).
        var elsewhere = Directory.CreateTempSubdirectory("mtlsgateway-cwd-").FullName;
        try
        {
            var viaContentRoot = await GatewayProcess.StartupErrorAsync(elsewhere, null, $"--contentRoot={contentRoot}", "--Gateway:Admin:Url", "ftp://x");
            Assert.StartsWith("MtlsGateway: cannot start: Gateway:Admin:Url: 'ftp://x'", viaContentRoot, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(elsewhere);
        }

        var (gateway, _) = await GatewayProcess.StartAsync(contentRoot, new Dictionary<string, string?>());
        await gateway.DisposeAsync();
    }

    [Fact]
    public async Task A_folder_without_appsettings_json_is_named_instead_of_a_missing_trust_list()
    {
        var empty = Directory.CreateTempSubdirectory("mtlsgateway-empty-").FullName;
        try
        {
            var error = await GatewayProcess.StartupErrorAsync(empty);
            Assert.Equal($"MtlsGateway: cannot start: appsettings.json: not found in {empty} (the content root: the current directory, or --contentRoot <folder>)", error);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }
}
