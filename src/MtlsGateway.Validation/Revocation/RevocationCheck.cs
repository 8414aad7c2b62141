using MtlsGateway.Validation.Chains;

namespace MtlsGateway.Validation.Revocation;

/// <summary>
/// The revocation step of path validation. Each certificate in scope is put to the sources in order until one knows
/// (Good or Revoked). Revoked refuses; when no source knows, Require refuses (fail closed) and BestEffort passes.
/// A pass is valid only until the earliest point at which any answer it used goes stale.
/// </summary>
public sealed class RevocationCheck : ICertificatePathCheck
{
    private readonly RevocationMode mode;
    private readonly RevocationScope scope;
    private readonly IReadOnlyList<IRevocationSource> sources;
    private readonly Action<RevocationStatus>? observe;

    /// <param name="observe">Called with every answer a source gives (for metrics: checks by source and result).</param>
    /// <exception cref="ArgumentException">The configuration can never establish status (see <see cref="ConfigurationProblem"/>).</exception>
    public RevocationCheck(RevocationMode mode, RevocationScope scope, IReadOnlyList<IRevocationSource> sources, Action<RevocationStatus>? observe = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (ConfigurationProblem(mode, sources.Count) is { } problem)
        {
            throw new ArgumentException(problem, nameof(sources));
        }

        this.mode = mode;
        this.scope = scope;
        this.sources = sources;
        this.observe = observe;
    }

    /// <summary>For start-up validation: why this combination cannot work, or null when it can.</summary>
    public static string? ConfigurationProblem(RevocationMode mode, int enabledSourceCount) =>
        mode == RevocationMode.Require && enabledSourceCount == 0
            ? "Revocation Mode is Require but every revocation source is off: no certificate's status could ever be established, so every client would be refused"
            : null;

    public async ValueTask<PathCheckResult> CheckAsync(CertificatePath path, DateTimeOffset validationTime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (mode == RevocationMode.Off)
        {
            return PathCheckResult.Pass();
        }

        var validUntil = DateTimeOffset.MaxValue;
        var lastInScope = scope == RevocationScope.EndEntity ? Math.Min(0, path.Certificates.Count - 2) : path.Certificates.Count - 2;
        for (var index = 0; index <= lastInScope; index++)
        {
            var unknowns = new List<string>();
            RevocationStatus? known = null;
            foreach (var source in sources)
            {
                var status = await AskAsync(source, path, index, validationTime, cancellationToken).ConfigureAwait(false);
                observe?.Invoke(status);
                if (status.State == RevocationState.Unknown)
                {
                    unknowns.Add($"{source.Name}: {status.Detail}");
                    continue;
                }

                known = status;
                break;
            }

            var certificate = path.Certificates[index];
            switch (known)
            {
                case { State: RevocationState.Revoked } revoked:
                    return PathCheckResult.Refuse(RefusalReason.Revoked, $"'{certificate.Subject}' is revoked, reason {revoked.RevocationReason ?? "unspecified"} (source {revoked.Source}): {revoked.Detail}");
                case { State: RevocationState.Good } good:
                    validUntil = good.ValidUntil < validUntil ? good.ValidUntil : validUntil;
                    break;
                default:
                    if (mode == RevocationMode.Require)
                    {
                        var why = unknowns.Count == 0 ? "no revocation source" : string.Join(" | ", unknowns);
                        return PathCheckResult.Refuse(RefusalReason.RevocationUnknown, $"revocation status of '{certificate.Subject}' cannot be established: {why}");
                    }

                    break;
            }
        }

        return PathCheckResult.Pass(validUntil);
    }

    /// <summary>A source that fails has not said anything: its failure is an Unknown, never a pass and never a crash.</summary>
    private static async ValueTask<RevocationStatus> AskAsync(IRevocationSource source, CertificatePath path, int index, DateTimeOffset validationTime, CancellationToken cancellationToken)
    {
        try
        {
            return await source.GetStatusAsync(path, index, validationTime, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return RevocationStatus.Unknown(source.Name, $"the source failed ({e.GetType().Name})");
        }
    }
}
