using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MtlsGateway.ClientCertificates;
using MtlsGateway.Validation.Certificates;
using MtlsGateway.Validation.Path;
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
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var command = new Command("check-cert", "Check whether a client certificate would be accepted") { certificateFile, trust, intermediates, at, json };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(certificateFile)!.FullName,
            parseResult.GetValue(trust) ?? [],
            parseResult.GetValue(intermediates) ?? [],
            parseResult.GetValue(at),
            parseResult.GetValue(json),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string certificateFile, string[] trust, string[] intermediates, string? at, bool json, CancellationToken cancellationToken)
    {
        DateTimeOffset validationTime = DateTimeOffset.UtcNow;
        if (at is not null && !DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out validationTime))
        {
            return UsageError($"--at: '{at}' is not an ISO-8601 time (for example 2030-01-31T12:00:00Z)");
        }

        IReadOnlyList<X509Certificate2> presented;
        TrustList trustList;
        PathValidationPolicy policy;
        try
        {
            presented = CertificateFiles.Read(certificateFile);
            (trustList, policy) = trust.Length > 0
                ? (TrustList.Load(FullPaths(trust), FullPaths(intermediates), validationTime), new PathValidationPolicy())
                : FromConfiguration(FullPaths(intermediates), validationTime);
        }
        catch (Exception e) when (e is CertificateSourceException or Hosting.GatewayConfigurationException)
        {
            return UsageError(e.Message);
        }

        var validator = new ClientCertificateValidator(() => trustList, policy, [], new ValidationEpoch());
        var verdict = await validator.ValidateAsync(presented[0], presented.Skip(1).ToArray(), validationTime, cancellationToken).ConfigureAwait(false);
        Console.WriteLine(json ? AsJson(presented[0], verdict) : AsText(presented[0], verdict));
        return verdict.Accepted ? GatewayCommands.Success : GatewayCommands.Rejected;
    }

    private static (TrustList, PathValidationPolicy) FromConfiguration(IReadOnlyList<string> extraIntermediates, DateTimeOffset now)
    {
        var directory = Directory.GetCurrentDirectory();
        if (!File.Exists(System.IO.Path.Combine(directory, "appsettings.json")))
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
        return (trustList, new PathValidationPolicy { ClockSkew = options.ClockSkew, RequireClientAuthEku = options.RequireClientAuthEku });
    }

    private static readonly JsonSerializerOptions JsonOutput = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string[] FullPaths(IEnumerable<string> paths) => [.. paths.Select(System.IO.Path.GetFullPath)];

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

    private static int UsageError(string message)
    {
        Console.Error.WriteLine("check-cert: " + message);
        return GatewayCommands.UsageError;
    }
}
