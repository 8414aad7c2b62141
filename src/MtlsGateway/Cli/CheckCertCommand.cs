using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using MtlsGateway.ClientCertificates;
using MtlsGateway.Revocation;
using MtlsGateway.Validation.Certificates;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Revocation;
using MtlsGateway.Validation.Revocation.Crl;
using MtlsGateway.Validation.Trust;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.Cli;

/// <summary>
/// <c>check-cert</c>: "would this client be let in?", answered by the same validator the gateway runs.
/// Without <c>--trust</c> the trust settings come from appsettings.json in the current directory.
/// </summary>
internal static class CheckCertCommand
{
    public static Command Create()
    {
        var certificateFile = new Argument<FileInfo>("cert-file") { Description = "Client certificate, PEM or DER; further PEM certificates in the file are the chain the client sends, leaf first" };
        var trust = new Option<string[]>("--trust") { Description = "Trusted CA file or folder (repeatable); replaces the configured trust list" };
        var intermediates = new Option<string[]>("--intermediate") { Description = "Certificate file or folder the client sends along (repeatable); judged like the client's chain, never trusted" };
        var at = new Option<string>("--at") { Description = "Validate at this ISO-8601 time instead of now" };
        var crls = new Option<string[]>("--crl") { Description = "CRL file, PEM or DER (repeatable)" };
        var requireRevocation = new Option<bool>("--require-revocation-info") { Description = "Refuse when the revocation status of a certificate of the path cannot be established (Require); the default with --trust is BestEffort, without --trust the configured mode" };
        var bestEffort = new Option<bool>("--best-effort") { Description = "Ask for less than the configured gateway: only known revocations refuse (BestEffort), an unknown status is accepted" };
        var policies = new Option<string[]>("--policy") { Description = "Acceptable certificate policy OID (repeatable; RFC 5280 user-initial-policy-set); none means any policy" };
        var requireExplicitPolicy = new Option<bool>("--require-explicit-policy") { Description = "The path must be valid for an acceptable policy (initial-explicit-policy)" };
        var inhibitPolicyMapping = new Option<bool>("--inhibit-policy-mapping") { Description = "CAs may not map policies (initial-policy-mapping-inhibit)" };
        var inhibitAnyPolicy = new Option<bool>("--inhibit-any-policy") { Description = "anyPolicy does not stand for every policy (initial-any-policy-inhibit)" };
        var purpose = new Option<string>("--purpose") { Description = "What the certificate must be usable for: client-auth (default), server-auth or any", DefaultValueFactory = _ => "client-auth" };
        purpose.AcceptOnlyFromAmong("client-auth", "server-auth", "any");
        var minimumKeySize = new Option<int?>("--minimum-key-size") { Description = "Smallest RSA or DSA key accepted, in bits (default 2048, or MinimumKeySize from appsettings.json)" };
        var allowSha1 = new Option<bool>("--allow-sha1") { Description = "Accept SHA-1 signatures (conformance suites such as NIST PKITS use them)" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var command = new Command("check-cert", "Check whether a client certificate would be accepted")
        {
            certificateFile, trust, intermediates, at, crls, requireRevocation, bestEffort, policies, requireExplicitPolicy, inhibitPolicyMapping, inhibitAnyPolicy,
            purpose, minimumKeySize, allowSha1, json,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            new CheckCertRequest(
                parseResult.GetValue(certificateFile)!.FullName,
                parseResult.GetValue(trust) ?? [],
                parseResult.GetValue(intermediates) ?? [],
                parseResult.GetValue(crls) ?? [],
                (parseResult.GetValue(requireRevocation), parseResult.GetValue(bestEffort)) switch
                {
                    (true, true) => null,
                    (true, false) => RevocationMode.Require,
                    (false, true) => RevocationMode.BestEffort,
                    _ => (RevocationMode?)null,
                },
                parseResult.GetValue(requireRevocation) && parseResult.GetValue(bestEffort),
                parseResult.GetValue(at),
                parseResult.GetValue(json),
                new PolicyOverrides(
                    parseResult.GetValue(policies) ?? [],
                    parseResult.GetValue(requireExplicitPolicy),
                    parseResult.GetValue(inhibitPolicyMapping),
                    parseResult.GetValue(inhibitAnyPolicy),
                    parseResult.GetValue(purpose) switch
                    {
                        "server-auth" => KeyPurpose.ServerAuthentication,
                        "any" => KeyPurpose.Any,
                        _ => KeyPurpose.ClientAuthentication,
                    },
                    parseResult.GetValue(minimumKeySize),
                    parseResult.GetValue(allowSha1))),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CheckCertRequest request, CancellationToken cancellationToken)
    {
        var (certificateFile, trust, intermediates, crlFiles, revocationMode, conflictingModes, at, json, overrides) = request;
        if (conflictingModes)
        {
            return UsageError("--require-revocation-info and --best-effort ask for opposite revocation modes; give one");
        }

        DateTimeOffset validationTime = DateTimeOffset.UtcNow;
        if (at is not null && !DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out validationTime))
        {
            return UsageError($"--at: '{at}' is not an ISO-8601 time (for example 2030-01-31T12:00:00Z)");
        }

        if (overrides.Problem() is { } problem)
        {
            return UsageError(problem);
        }

        IReadOnlyList<X509Certificate2> presented;
        CheckValidator check;
        try
        {
            // What the client sends is judged, never refused as configuration: a non-CA certificate among it only
            // makes a path through it fail (exit 2), as it would in the gateway.
            presented = [.. CertificateFiles.Read(certificateFile), .. CertificateFiles.Expand(FullPaths(intermediates)).SelectMany(CertificateFiles.Read)];
            check = trust.Length > 0
                ? Offline(trust, crlFiles, revocationMode ?? RevocationMode.BestEffort, validationTime, overrides)
                : FromConfiguration(FullPaths(crlFiles), revocationMode, overrides);
        }
        catch (Exception e) when (e is CertificateSourceException or Hosting.GatewayConfigurationException or FormatException)
        {
            return UsageError(e.Message);
        }
        catch (OptionsValidationException e)
        {
            return UsageError(string.Join("; ", e.Failures));
        }
        catch (InvalidDataException e)
        {
            // A settings file that does not parse: the file, line and column, as the gateway says it.
            return UsageError(Settings.SettingsFileErrors.Describe(e) ?? e.Message);
        }

        using var resources = check.Resources;
        var verdict = await check.Validator.ValidateAsync(presented[0], presented.Skip(1).ToArray(), validationTime, cancellationToken).ConfigureAwait(false);
        Console.WriteLine(json ? AsJson(presented[0], verdict) : Telemetry.LogText.Escape(AsText(presented[0], verdict)));
        return verdict.Accepted ? GatewayCommands.Success : GatewayCommands.Rejected;
    }

    /// <summary>With explicit --trust nothing is read from configuration and nothing is fetched: only the files given count.</summary>
    private static CheckValidator Offline(string[] trust, string[] crlFiles, RevocationMode mode, DateTimeOffset now, PolicyOverrides overrides)
    {
        var policy = overrides.ApplyTo(new PathValidationPolicy());
        var crls = LoadCrls(FullPaths(crlFiles));
        var trustList = TrustList.Load(FullPaths(trust), [], now);
        var revocation = new RevocationCheck(mode, RevocationScope.Chain, [new CrlFileRevocationSource(() => crls, policy.ClockSkew, policy.Minimums)]);
        return new CheckValidator(new ClientCertificateValidator(() => trustList, policy, [revocation], new ValidationEpoch()), new ServiceCollection().BuildServiceProvider());
    }

    /// <summary>
    /// The gateway's own validator, built by the gateway's own registrations from the settings the gateway in the
    /// current directory reads (appsettings.json, then appsettings.{environment}.json for ASPNETCORE_ENVIRONMENT or
    /// DOTNET_ENVIRONMENT, then environment variables): trust list, revocation mode, scope and sources with their fetch
    /// limits, failure memory and OCSP skew, policy inputs and crypto minimums. A mode given on the command line, any
    /// extra --crl files and the path validation options given change that.
    /// </summary>
    private static CheckValidator FromConfiguration(IReadOnlyList<string> extraCrls, RevocationMode? mode, PolicyOverrides overrides)
    {
        var directory = Directory.GetCurrentDirectory();
        if (!File.Exists(Path.Combine(directory, "appsettings.json")))
        {
            throw new Hosting.GatewayConfigurationException("--trust", $"not given, and there is no appsettings.json in {directory} to take the trust list from");
        }

        var environment = GatewayEnvironment();
        var configuration = new ConfigurationBuilder().SetBasePath(directory)
            .AddJsonFile("appsettings.json")
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<IHostEnvironment>(new HostingEnvironment { ContentRootPath = directory, EnvironmentName = environment, ApplicationName = "MtlsGateway" })
            .AddLogging()
            .AddMetrics()
            .AddClientCertificateValidation()
            .AddRevocation();

        // The crypto minimums also bind the revocation sources (CRL and OCSP signatures), so they go into the options.
        services.PostConfigure<ClientCertificateOptions>(options =>
        {
            options.MinimumKeySize = overrides.MinimumKeySize ?? options.MinimumKeySize;
            options.AllowSha1Signatures |= overrides.AllowSha1;
        });
        services.PostConfigure<RevocationOptions>(options =>
        {
            options.Mode = mode ?? options.Mode;
            options.CrlFiles.AddRange(extraCrls);
        });
        var provider = services.BuildServiceProvider();
        try
        {
            var options = provider.GetRequiredService<IOptions<ClientCertificateOptions>>().Value;
            var trustList = provider.GetRequiredService<TrustListProvider>();
            var validator = new ClientCertificateValidator(
                () => trustList.Current,
                overrides.ApplyTo(options.ToPathValidationPolicy()),
                [.. provider.GetServices<ICertificatePathCheck>()],
                provider.GetRequiredService<ValidationEpoch>());
            return new CheckValidator(validator, provider);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    /// <summary>The environment the gateway would run in here: ASPNETCORE_ENVIRONMENT wins over DOTNET_ENVIRONMENT, as in the web host.</summary>
    private static string GatewayEnvironment() =>
        Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") is { Length: > 0 } aspNetCore ? aspNetCore
        : Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") is { Length: > 0 } dotnet ? dotnet
        : Environments.Production;

    private static CrlSet LoadCrls(IReadOnlyList<string> entries) => new([.. CertificateFiles.Expand(entries).SelectMany(CrlFiles.Read)]);

    private static readonly JsonSerializerOptions JsonOutput = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string[] FullPaths(IEnumerable<string> paths) => [.. paths.Select(Path.GetFullPath)];

    private static string AsText(X509Certificate2 certificate, ValidationVerdict verdict) =>
        verdict.Accepted
            ? $"accepted: {certificate.Subject} (path: {string.Join(" <- ", verdict.Path.Select(c => c.Subject))})"
            : $"rejected: {verdict.Refusal!.Value.ToCode()}: {verdict.Detail}";

    private static string AsJson(X509Certificate2 certificate, ValidationVerdict verdict) => JsonSerializer.Serialize(new
    {
        accepted = verdict.Accepted,
        reason = verdict.Refusal?.ToCode(),
        detail = verdict.Detail,
        subject = CertificateFields.Subject(certificate),
        issuer = CertificateFields.Issuer(certificate),
        serialNumber = CertificateFields.SerialNumber(certificate),
        sha256 = certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256),
        path = verdict.Path.Select(c => c.Subject).ToArray(),
    }, JsonOutput);

    private sealed record CheckCertRequest(
        string CertificateFile, string[] Trust, string[] Intermediates, string[] Crls, RevocationMode? RevocationMode, bool ConflictingModes, string? At, bool Json, PolicyOverrides Overrides);

    /// <summary>The validator of one check-cert run, and what it holds open (files watched, the HTTP client of revocation fetches).</summary>
    private sealed record CheckValidator(ClientCertificateValidator Validator, IDisposable Resources);

    private static int UsageError(string message)
    {
        Console.Error.WriteLine("check-cert: " + message);
        return GatewayCommands.UsageError;
    }
}
