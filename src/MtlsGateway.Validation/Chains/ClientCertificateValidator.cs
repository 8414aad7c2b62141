using MtlsGateway.Validation.Certificates;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Validation.Trust;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.Validation.Chains;

/// <summary>
/// Judges one presented certificate chain: builds the path against the trust list only, checks every certificate's
/// validity window and the usages, then runs the configured checks (revocation) in order. The first failure decides.
/// </summary>
public sealed class ClientCertificateValidator
{
    private const string ClientAuthOid = Oids.ClientAuthentication;
    private const string AnyExtendedKeyUsageOid = "2.5.29.37.0";

    // Time validity is checked here, with the clock skew and a precise reason, so the chain engine must not judge it.
    private const X509ChainStatusFlags TimeFlags = X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.NotTimeNested;

    private readonly Func<TrustList> trustList;
    private readonly PathValidationPolicy policy;
    private readonly IReadOnlyList<ICertificatePathCheck> checks;
    private readonly ValidationEpoch epoch;

    public ClientCertificateValidator(Func<TrustList> trustList, PathValidationPolicy policy, IReadOnlyList<ICertificatePathCheck> checks, ValidationEpoch epoch)
    {
        this.trustList = trustList;
        this.policy = policy;
        this.checks = checks;
        this.epoch = epoch;
    }

    public async ValueTask<ValidationVerdict> ValidateAsync(
        X509Certificate2 endEntity,
        IReadOnlyCollection<X509Certificate2> presentedIntermediates,
        DateTimeOffset validationTime,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endEntity);
        ArgumentNullException.ThrowIfNull(presentedIntermediates);

        // Read the epoch before the data: a change during validation leaves this verdict already outdated, never wrongly current.
        var verdictEpoch = epoch.Current;
        var trust = trustList();

        X509Certificate2[] path;
        X509ChainStatusFlags[] chainProblems;
        try
        {
            (path, chainProblems) = BuildChain(endEntity, trust, presentedIntermediates, validationTime);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            (path, chainProblems) = InheritedDsaParametersPath.Build(
                endEntity,
                [.. presentedIntermediates, .. trust.Intermediates, .. trust.Anchors],
                issuer => BuildChain(issuer, trust, presentedIntermediates, validationTime));
        }

        if (chainProblems.Length > 0 || path.Length == 0 || !IsAnchor(path[^1], trust))
        {
            return ValidationVerdict.Refuse(RefusalReason.Untrusted, ChainProblems.Describe(chainProblems, endEntity, path), path, DateTimeOffset.MaxValue, verdictEpoch);
        }

        var validUntil = DateTimeOffset.MaxValue;
        foreach (var certificate in path)
        {
            var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
            var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            if (validationTime + policy.ClockSkew < notBefore)
            {
                return ValidationVerdict.Refuse(RefusalReason.NotYetValid, $"'{certificate.Subject}' is valid from {notBefore:O}", path, notBefore - policy.ClockSkew, verdictEpoch);
            }

            if (validationTime - policy.ClockSkew > notAfter)
            {
                return ValidationVerdict.Refuse(RefusalReason.Expired, $"'{certificate.Subject}' expired at {notAfter:O}", path, DateTimeOffset.MaxValue, verdictEpoch);
            }

            validUntil = Min(validUntil, notAfter + policy.ClockSkew);
        }

        if (UsageProblem(path) is { } usageProblem)
        {
            return ValidationVerdict.Refuse(RefusalReason.WrongUsage, usageProblem, path, DateTimeOffset.MaxValue, verdictEpoch);
        }

        var certificatePath = new CertificatePath(path, [.. presentedIntermediates, .. trust.Intermediates, .. trust.Anchors]);
        foreach (var check in checks)
        {
            var result = await check.CheckAsync(certificatePath, validationTime, cancellationToken).ConfigureAwait(false);
            if (!result.Passed)
            {
                return ValidationVerdict.Refuse(result.Refusal!.Value, result.Detail, path, Max(result.ValidUntil, validationTime), verdictEpoch);
            }

            validUntil = Min(validUntil, result.ValidUntil);
        }

        return ValidationVerdict.Accept(path, validUntil, verdictEpoch);
    }

    private static (X509Certificate2[] Path, X509ChainStatusFlags[] Problems) BuildChain(
        X509Certificate2 certificate, TrustList trust, IReadOnlyCollection<X509Certificate2> presentedIntermediates, DateTimeOffset validationTime)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trust.Anchors);
        chain.ChainPolicy.ExtraStore.AddRange(trust.Intermediates);
        foreach (var intermediate in presentedIntermediates)
        {
            chain.ChainPolicy.ExtraStore.Add(intermediate);
        }

        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreNotTimeNested;
        chain.ChainPolicy.VerificationTime = validationTime.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.Build(certificate);

        var path = chain.ChainElements.Select(element => X509CertificateLoader.LoadCertificate(element.Certificate.RawData)).ToArray();
        var chainProblems = chain.ChainElements
            .SelectMany(element => element.ChainElementStatus)
            .Concat(chain.ChainStatus)
            .Where(status => (status.Status & ~TimeFlags) != X509ChainStatusFlags.NoError)
            .Select(status => status.Status & ~TimeFlags)
            .Distinct()
            .ToArray();
        return (path, chainProblems);
    }

    private static bool IsAnchor(X509Certificate2 certificate, TrustList trust) =>
        trust.Anchors.Any(anchor => anchor.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span));

    private string? UsageProblem(X509Certificate2[] path)
    {
        var endEntity = path[0];
        if (endEntity.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } keyUsage
            && (keyUsage.KeyUsages & (X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement)) == 0)
        {
            return $"keyUsage of '{endEntity.Subject}' is {keyUsage.KeyUsages}, which cannot authenticate a TLS client";
        }

        if (!policy.RequireClientAuthEku)
        {
            return null;
        }

        // An EKU on a CA constrains what it may issue for, so it is honoured along the path, as OpenSSL and Windows do.
        foreach (var certificate in path.Take(path.Length - 1))
        {
            if (certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is { } eku
                && !eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Any(oid => oid.Value is ClientAuthOid or AnyExtendedKeyUsageOid))
            {
                var usages = string.Join(", ", eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(oid => oid.FriendlyName ?? oid.Value));
                return $"extendedKeyUsage of '{certificate.Subject}' ({usages}) does not include clientAuth";
            }
        }

        return null;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
