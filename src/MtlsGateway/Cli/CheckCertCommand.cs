using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using MtlsGateway.ClientCertificates;
using MtlsGateway.Revocation;
using MtlsGateway.Validation.Certificates;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Revocation;
using MtlsGateway.Validation.Revocation.Crl;
using MtlsGateway.Validation.Revocation.Fetching;
using MtlsGateway.Validation.Revocation.Ocsp;
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
        CheckSettings settings;
        try
        {
            presented = CertificateFiles.Read(certificateFile);
            settings = trust.Length > 0
                ? Offline(trust, intermediates, crlFiles, validationTime)
                : FromConfiguration(FullPaths(intermediates), FullPaths(crlFiles), validationTime);
        }
        catch (Exception e) when (e is CertificateSourceException or Hosting.GatewayConfigurationException or FormatException)
        {
            return UsageError(e.Message);
        }

        using var sources = settings.Revocation;
        var validator = new ClientCertificateValidator(() => settings.Trust, settings.Policy, [settings.Revocation.CheckFor(revocationMode)], new ValidationEpoch());
        var verdict = await validator.ValidateAsync(presented[0], presented.Skip(1).ToArray(), validationTime, cancellationToken).ConfigureAwait(false);
        Console.WriteLine(json ? AsJson(presented[0], verdict) : AsText(presented[0], verdict));
        return verdict.Accepted ? GatewayCommands.Success : GatewayCommands.Rejected;
    }

    /// <summary>With explicit --trust nothing is read from configuration and nothing is fetched: only the files given count.</summary>
    private static CheckSettings Offline(string[] trust, string[] intermediates, string[] crlFiles, DateTimeOffset now)
    {
        var policy = new PathValidationPolicy();
        var crls = LoadCrls(FullPaths(crlFiles));
        return new CheckSettings(TrustList.Load(FullPaths(trust), FullPaths(intermediates), now), policy, new CheckRevocation([new CrlFileRevocationSource(() => crls, policy.ClockSkew)], null));
    }

    private static CheckSettings FromConfiguration(IReadOnlyList<string> extraIntermediates, IReadOnlyList<string> extraCrls, DateTimeOffset now)
    {
        var directory = Directory.GetCurrentDirectory();
        if (!File.Exists(Path.Combine(directory, "appsettings.json")))
        {
            throw new Hosting.GatewayConfigurationException("--trust", $"not given, and there is no appsettings.json in {directory} to take the trust list from");
        }

        var configuration = new ConfigurationBuilder().SetBasePath(directory).AddJsonFile("appsettings.json").AddEnvironmentVariables().Build();
        var options = new ClientCertificateOptions();
        configuration.GetSection(ClientCertificateOptions.SectionName).Bind(options);
        var validation = new ClientCertificateOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new Hosting.GatewayConfigurationException(ClientCertificateOptions.SectionName, validation.FailureMessage);
        }

        var trustList = TrustList.Load(FullPaths(options.TrustedCaFiles), [.. FullPaths(options.IntermediateFiles), .. extraIntermediates], now);
        var policy = new PathValidationPolicy { ClockSkew = options.ClockSkew, RequireClientAuthEku = options.RequireClientAuthEku };

        // The configured revocation sources, as the gateway would use them (network included), plus any --crl files.
        var revocation = new RevocationOptions();
        configuration.GetSection(RevocationOptions.SectionName).Bind(revocation);
        var crls = LoadCrls([.. FullPaths(revocation.CrlFiles), .. extraCrls]);
        var sources = new List<IRevocationSource> { new CrlFileRevocationSource(() => crls, policy.ClockSkew) };
        HttpMessageInvoker? invoker = null;
        if (revocation.FetchCrls || revocation.Ocsp)
        {
            invoker = new HttpMessageInvoker(new SocketsHttpHandler { ConnectTimeout = revocation.FetchTimeout }, disposeHandler: true);
            var fetcher = new RevocationFetcher(invoker, new RevocationFetcherOptions { FetchTimeout = revocation.FetchTimeout }, TimeProvider.System, NullLogger.Instance);
            var epoch = new ValidationEpoch();
            if (revocation.FetchCrls)
            {
                sources.Add(new CrlFetchRevocationSource<CrlSet>(
                    new CrlDistributionPointCache<CrlSet>(fetcher, FetchedCrls.Read, new CrlDistributionPointCacheOptions(), epoch, TimeProvider.System, NullLogger.Instance),
                    FetchedCrls.Lookup(policy.ClockSkew),
                    FetchedCrls.DeltaLocations));
            }

            if (revocation.Ocsp)
            {
                sources.Add(new OcspRevocationSource(new OcspClient(fetcher, new OcspClientOptions(), epoch, TimeProvider.System, NullLogger.Instance)));
            }
        }

        return new CheckSettings(trustList, policy, new CheckRevocation(sources, invoker));
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

    private sealed record CheckSettings(TrustList Trust, PathValidationPolicy Policy, CheckRevocation Revocation);

    /// <summary>The revocation sources of one check-cert run, and the HTTP client some of them share.</summary>
    private sealed class CheckRevocation(IReadOnlyList<IRevocationSource> sources, HttpMessageInvoker? invoker) : IDisposable
    {
        public RevocationCheck CheckFor(RevocationMode mode) => new(mode, RevocationScope.Chain, sources);

        public void Dispose() => invoker?.Dispose();
    }

    private static int UsageError(string message)
    {
        Console.Error.WriteLine("check-cert: " + message);
        return GatewayCommands.UsageError;
    }
}
