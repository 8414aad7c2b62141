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
        var certificateFile = new Argument<FileInfo>("cert-file") { Description = "Client certificate, PEM or DER; further PEM certificates in the file are taken as the chain the client sends" };
        var trust = new Option<string[]>("--trust") { Description = "Trusted CA file or folder (repeatable); replaces the configured trust list" };
        var intermediates = new Option<string[]>("--intermediate") { Description = "Intermediate CA file or folder (repeatable)" };
        var at = new Option<string>("--at") { Description = "Validate at this ISO-8601 time instead of now" };
        var crls = new Option<string[]>("--crl") { Description = "CRL file, PEM or DER (repeatable)" };
        var requireRevocation = new Option<bool>("--require-revocation-info") { Description = "Refuse when the revocation status of a certificate of the path cannot be established (Require); without it, only known revocations refuse (BestEffort)" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var command = new Command("check-cert", "Check whether a client certificate would be accepted") { certificateFile, trust, intermediates, at, crls, requireRevocation, json };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            new CheckCertRequest(
                parseResult.GetValue(certificateFile)!.FullName,
                parseResult.GetValue(trust) ?? [],
                parseResult.GetValue(intermediates) ?? [],
                parseResult.GetValue(crls) ?? [],
                parseResult.GetValue(requireRevocation) ? RevocationMode.Require : RevocationMode.BestEffort,
                parseResult.GetValue(at),
                parseResult.GetValue(json)),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CheckCertRequest request, CancellationToken cancellationToken)
    {
        var (certificateFile, trust, intermediates, crlFiles, revocationMode, at, json) = request;
        DateTimeOffset validationTime = DateTimeOffset.UtcNow;
        if (at is not null && !DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out validationTime))
        {
            return UsageError($"--at: '{at}' is not an ISO-8601 time (for example 2030-01-31T12:00:00Z)");
        }

        IReadOnlyList<X509Certificate2> presented;
        CheckValidator check;
        try
        {
            presented = CertificateFiles.Read(certificateFile);
            check = trust.Length > 0
                ? Offline(trust, intermediates, crlFiles, revocationMode, validationTime)
                : FromConfiguration(FullPaths(intermediates), FullPaths(crlFiles), revocationMode);
        }
        catch (Exception e) when (e is CertificateSourceException or Hosting.GatewayConfigurationException or FormatException)
        {
            return UsageError(e.Message);
        }
        catch (OptionsValidationException e)
        {
            return UsageError(string.Join("; ", e.Failures));
        }

        using var resources = check.Resources;
        var validator = check.Validator;
        var verdict = await validator.ValidateAsync(presented[0], presented.Skip(1).ToArray(), validationTime, cancellationToken).ConfigureAwait(false);
        Console.WriteLine(json ? AsJson(presented[0], verdict) : AsText(presented[0], verdict));
        return verdict.Accepted ? GatewayCommands.Success : GatewayCommands.Rejected;
    }

    /// <summary>With explicit --trust nothing is read from configuration and nothing is fetched: only the files given count.</summary>
    private static CheckValidator Offline(string[] trust, string[] intermediates, string[] crlFiles, RevocationMode mode, DateTimeOffset now)
    {
        var policy = new PathValidationPolicy();
        var crls = LoadCrls(FullPaths(crlFiles));
        var trustList = TrustList.Load(FullPaths(trust), FullPaths(intermediates), now);
        var revocation = new RevocationCheck(mode, RevocationScope.Chain, [new CrlFileRevocationSource(() => crls, policy.ClockSkew)]);
        return new CheckValidator(new ClientCertificateValidator(() => trustList, policy, [revocation], new ValidationEpoch()), new ServiceCollection().BuildServiceProvider());
    }

    /// <summary>
    /// The gateway's own validator, built by the gateway's own registrations from appsettings.json in the current
    /// directory (trust list, revocation sources with their fetch limits, failure memory and OCSP skew), with the
    /// requested revocation mode and any extra --intermediate and --crl files.
    /// </summary>
    private static CheckValidator FromConfiguration(IReadOnlyList<string> extraIntermediates, IReadOnlyList<string> extraCrls, RevocationMode mode)
    {
        var directory = Directory.GetCurrentDirectory();
        if (!File.Exists(Path.Combine(directory, "appsettings.json")))
        {
            throw new Hosting.GatewayConfigurationException("--trust", $"not given, and there is no appsettings.json in {directory} to take the trust list from");
        }

        var configuration = new ConfigurationBuilder().SetBasePath(directory).AddJsonFile("appsettings.json").AddEnvironmentVariables().Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<IHostEnvironment>(new HostingEnvironment { ContentRootPath = directory, EnvironmentName = Environments.Production, ApplicationName = "MtlsGateway" })
            .AddLogging()
            .AddMetrics()
            .AddClientCertificateValidation()
            .AddRevocation();
        services.PostConfigure<ClientCertificateOptions>(options => options.IntermediateFiles.AddRange(extraIntermediates));
        services.PostConfigure<RevocationOptions>(options =>
        {
            options.Mode = mode;
            options.CrlFiles.AddRange(extraCrls);
        });
        var provider = services.BuildServiceProvider();
        try
        {
            return new CheckValidator(provider.GetRequiredService<ClientCertificateValidator>(), provider);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

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
        subject = certificate.Subject,
        issuer = certificate.Issuer,
        serialNumber = certificate.SerialNumber,
        sha256 = certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256),
        path = verdict.Path.Select(c => c.Subject).ToArray(),
    }, JsonOutput);

    private sealed record CheckCertRequest(string CertificateFile, string[] Trust, string[] Intermediates, string[] Crls, RevocationMode RevocationMode, string? At, bool Json);

    /// <summary>The validator of one check-cert run, and what it holds open (files watched, the HTTP client of revocation fetches).</summary>
    private sealed record CheckValidator(ClientCertificateValidator Validator, IDisposable Resources);

    private static int UsageError(string message)
    {
        Console.Error.WriteLine("check-cert: " + message);
        return GatewayCommands.UsageError;
    }
}
