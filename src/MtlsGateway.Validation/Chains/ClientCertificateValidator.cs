using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Validation.Certificates;
using MtlsGateway.Validation.Policies;
using MtlsGateway.Validation.Trust;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.Validation.Chains;

/// <summary>
/// Judges one presented certificate chain: builds the path against the trust list only, then checks, in order, the
/// crypto minimums, the chain engine's verdict, every certificate's validity window, RFC 5280 policy processing and the
/// key purpose, and runs the configured checks (revocation). The first failure decides. Used in both directions:
/// client chains (purpose client-auth) and pinned upstream server chains (server-auth).
/// </summary>
public sealed class ClientCertificateValidator
{
    private const string ClientAuthOid = Oids.ClientAuthentication;
    private const string ServerAuthOid = Oids.ServerAuthentication;
    private const string AnyExtendedKeyUsageOid = Oids.AnyExtendedKeyUsage;

    // Time validity is checked here, with the clock skew and a precise reason, so the chain engine must not judge it.
    private const X509ChainStatusFlags TimeFlags = X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.NotTimeNested;

    // RFC 5280 6.1.1: a trust anchor is a name and a key; its own basicConstraints, pathLenConstraint and critical
    // extensions are not applied to the path. OpenSSL applies them and reports them on the anchor's element.
    private const X509ChainStatusFlags AnchorOwnConstraintFlags =
        X509ChainStatusFlags.InvalidBasicConstraints | X509ChainStatusFlags.HasNotSupportedCriticalExtension | X509ChainStatusFlags.InvalidPolicyConstraints;

    private readonly Func<TrustList> trustList;
    private readonly PathValidationPolicy policy;
    private readonly IReadOnlyList<ICertificatePathCheck> checks;
    private readonly ValidationEpoch epoch;
    private readonly SeenIntermediates seenIntermediates = new();

    public ClientCertificateValidator(Func<TrustList> trustList, PathValidationPolicy policy, IReadOnlyList<ICertificatePathCheck> checks, ValidationEpoch epoch)
    {
        this.trustList = trustList;
        this.policy = policy;
        this.checks = checks;
        this.epoch = epoch;
    }

    public PathValidationPolicy Policy => policy;

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

        // A field the platform cannot represent would throw wherever it is read first (a 500, a crash): refuse here.
        if (Malformed(endEntity) is { } unreadable)
        {
            return ValidationVerdict.Refuse(RefusalReason.Untrusted, "the client certificate is unreadable or malformed: " + unreadable, [], DateTimeOffset.MaxValue, verdictEpoch);
        }

        // What the client sent along and cannot be read plays no part in the path; the detail says so if the path fails.
        var unreadableSent = presentedIntermediates.Select(Malformed).OfType<string>().ToList();
        if (unreadableSent.Count > 0)
        {
            presentedIntermediates = [.. presentedIntermediates.Where(certificate => Malformed(certificate) is null)];
        }

        try
        {
            var verdict = await JudgeAsync(endEntity, presentedIntermediates, validationTime, trust, verdictEpoch, cancellationToken).ConfigureAwait(false);
            return verdict.Accepted || unreadableSent.Count == 0 || verdict.Refusal != RefusalReason.Untrusted
                ? verdict
                : ValidationVerdict.Refuse(verdict.Refusal.Value, $"{verdict.Detail} (the client also sent unreadable or malformed certificates, left out of the path: {string.Join("; ", unreadableSent)})", verdict.Path, verdict.ValidUntil, verdict.Epoch);
        }
        catch (Exception e) when (CertificateFields.IsDecodingFailure(e))
        {
            // A last guard for content no check above foresaw: it is a refusal, never a 500.
            return ValidationVerdict.Refuse(RefusalReason.Untrusted, $"the certificate chain cannot be processed ({e.GetType().Name}: {e.Message})", [], DateTimeOffset.MaxValue, verdictEpoch);
        }
    }

    private async ValueTask<ValidationVerdict> JudgeAsync(
        X509Certificate2 endEntity,
        IReadOnlyCollection<X509Certificate2> presentedIntermediates,
        DateTimeOffset validationTime,
        TrustList trust,
        long verdictEpoch,
        CancellationToken cancellationToken)
    {
        X509Certificate2[] path;
        ChainProblem[] chainProblems;
        try
        {
            (path, chainProblems) = BuildChain(endEntity, trust, presentedIntermediates, validationTime);
        }
        catch (CryptographicException)
        {
            var built = InheritedDsaParametersPath.Build(
                endEntity,
                [.. presentedIntermediates, .. trust.Intermediates, .. trust.Anchors],
                issuer => Flatten(BuildChain(issuer, trust, presentedIntermediates, validationTime)));
            (path, chainProblems) = (built.Path, [.. built.Problems.Select(status => new ChainProblem(null, status))]);
        }

        var anchored = path.Length > 0 && IsAnchor(path[^1], trust);
        if (anchored && policy.Minimums.PathProblem(path) is { } weak)
        {
            return ValidationVerdict.Refuse(RefusalReason.WeakCrypto, weak, path, DateTimeOffset.MaxValue, verdictEpoch);
        }

        if (chainProblems.Length > 0 || !anchored)
        {
            return ValidationVerdict.Refuse(RefusalReason.Untrusted, ChainProblems.Describe(chainProblems, endEntity, path, seenIntermediates), path, DateTimeOffset.MaxValue, verdictEpoch);
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

            validUntil = Min(validUntil, SaturatingAdd(notAfter, policy.ClockSkew));
        }

        var policies = PolicyProcessing.Run(path, policy.AcceptablePolicies, policy.RequireExplicitPolicy, policy.InhibitPolicyMapping, policy.InhibitAnyPolicy);
        if (!policies.Passed)
        {
            return ValidationVerdict.Refuse(RefusalReason.Untrusted, "certificate policies: " + policies.Problem, path, DateTimeOffset.MaxValue, verdictEpoch);
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

        seenIntermediates.Remember(path);
        return ValidationVerdict.Accept(path, validUntil, verdictEpoch, policies.ValidPolicies);
    }

    private static (X509Certificate2[] Path, ChainProblem[] Problems) BuildChain(
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

        var elements = chain.ChainElements;
        var path = new X509Certificate2[elements.Count];
        var problems = new List<ChainProblem>();
        var onElements = X509ChainStatusFlags.NoError;
        for (var index = 0; index < elements.Count; index++)
        {
            path[index] = X509CertificateLoader.LoadCertificate(elements[index].Certificate.RawData);
            var ignored = TimeFlags | (index == elements.Count - 1 && IsAnchor(path[index], trust) ? AnchorOwnConstraintFlags : X509ChainStatusFlags.NoError);
            foreach (var status in elements[index].ChainElementStatus)
            {
                onElements |= status.Status;
                AddFlags(problems, path[index], status.Status & ~ignored);
            }
        }

        // Problems about the whole chain (PartialChain, for one) that no element carries.
        foreach (var status in chain.ChainStatus)
        {
            AddFlags(problems, null, status.Status & ~onElements & ~TimeFlags);
        }

        return (path, [.. problems.Distinct()]);
    }

    private static void AddFlags(List<ChainProblem> problems, X509Certificate2? certificate, X509ChainStatusFlags flags)
    {
        for (var bit = 1; flags != X509ChainStatusFlags.NoError && bit != 0; bit <<= 1)
        {
            var flag = (X509ChainStatusFlags)bit;
            if ((flags & flag) != 0)
            {
                problems.Add(new ChainProblem(certificate, flag));
                flags &= ~flag;
            }
        }
    }

    private static (X509Certificate2[] Path, X509ChainStatusFlags[] Problems) Flatten((X509Certificate2[] Path, ChainProblem[] Problems) built) =>
        (built.Path, [.. built.Problems.Select(problem => problem.Status).Distinct()]);

    private static bool IsAnchor(X509Certificate2 certificate, TrustList trust) =>
        trust.Anchors.Any(anchor => anchor.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span));

    private string? UsageProblem(X509Certificate2[] path)
    {
        if (policy.Purpose == KeyPurpose.Any)
        {
            return null;
        }

        var (purposeOid, purposeName, allowedKeyUsages) = policy.Purpose == KeyPurpose.ServerAuthentication
            ? (ServerAuthOid, "serverAuth", X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyAgreement)
            : (ClientAuthOid, "clientAuth", X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement);
        var role = policy.Purpose == KeyPurpose.ServerAuthentication ? "server" : "client";
        var endEntity = path[0];
        if (endEntity.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } keyUsage && (keyUsage.KeyUsages & allowedKeyUsages) == 0)
        {
            return $"keyUsage of '{endEntity.Subject}' is {keyUsage.KeyUsages}, which cannot authenticate a TLS {role}";
        }

        if (policy.RequireEkuExtension && !endEntity.Extensions.OfType<X509EnhancedKeyUsageExtension>().Any())
        {
            return $"'{endEntity.Subject}' has no extendedKeyUsage extension, and RequireEkuExtension requires one that includes {purposeName}";
        }

        if (!policy.EnforceExtendedKeyUsage)
        {
            return null;
        }

        // An EKU on a CA constrains what it may issue for, so it is honoured along the path, as OpenSSL and Windows do.
        // The trust anchor's own is not (RFC 5280 6.1.1).
        foreach (var certificate in path.Take(path.Length - 1))
        {
            if (certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is { } eku
                && !eku.EnhancedKeyUsages.Cast<Oid>().Any(oid => oid.Value == purposeOid || oid.Value == AnyExtendedKeyUsageOid))
            {
                var usages = string.Join(", ", eku.EnhancedKeyUsages.Cast<Oid>().Select(oid => oid.FriendlyName ?? oid.Value));
                return $"extendedKeyUsage of '{certificate.Subject}' ({usages}) does not include {purposeName}";
            }
        }

        return null;
    }

    /// <summary>
    /// What makes a certificate the client sent unusable: a field that cannot be read, a serial or a name RFC 5280
    /// forbids. Trust anchors, chosen by the operator, are only required to be readable.
    /// </summary>
    private static string? Malformed(X509Certificate2 certificate) =>
        CertificateFields.Unreadable(certificate) ?? CertificateFields.SerialNumberProblem(certificate) ?? NameConformance.Problem(certificate);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>99991231235959Z means "no well-defined expiration" (RFC 5280 4.1.2.5): the skew must not overflow past it.</summary>
    private static DateTimeOffset SaturatingAdd(DateTimeOffset time, TimeSpan span) =>
        DateTimeOffset.MaxValue - time < span ? DateTimeOffset.MaxValue : time + span;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
