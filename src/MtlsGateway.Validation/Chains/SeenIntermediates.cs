using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.Validation.Chains;

/// <summary>
/// Intermediate CAs that were part of accepted paths, with the trust anchor each led to. When a client sends only its
/// leaf and the gateway finds no issuer, a remembered intermediate that names and identifies that issuer shows the path
/// could have been completed: only then is the client told to send its intermediates. Without it, the issuer is simply
/// unknown, and that advice would mislead. Advice only: never used to build a path. Bounded.
/// </summary>
public sealed class SeenIntermediates
{
    private const int Capacity = 1024;

    private readonly ConcurrentDictionary<string, (X509Certificate2 Intermediate, string Anchor)> bySubject = new(StringComparer.Ordinal);

    /// <summary>Remembers the intermediates of an accepted path (between its end entity and its anchor).</summary>
    public void Remember(IReadOnlyList<X509Certificate2> acceptedPath)
    {
        ArgumentNullException.ThrowIfNull(acceptedPath);
        if (acceptedPath.Count < 3)
        {
            return;
        }

        var anchor = acceptedPath[^1].Subject;
        for (var index = 1; index < acceptedPath.Count - 1; index++)
        {
            var intermediate = acceptedPath[index];
            var key = KeyOf(intermediate.SubjectName);
            if (bySubject.Count < Capacity || bySubject.ContainsKey(key))
            {
                bySubject[key] = (intermediate, anchor);
            }
        }
    }

    /// <summary>
    /// A remembered intermediate whose name is <paramref name="certificate"/>'s issuer and whose key identifier is
    /// the one the certificate names (when both say one), with the anchor it led to; otherwise null.
    /// </summary>
    public (X509Certificate2 Intermediate, string Anchor)? IssuerOf(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!bySubject.TryGetValue(KeyOf(certificate.IssuerName), out var seen))
        {
            return null;
        }

        var wanted = certificate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault()?.KeyIdentifier;
        var offered = seen.Intermediate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifierBytes;
        return wanted is { } a && offered is { } b && !a.Span.SequenceEqual(b.Span) ? null : seen;
    }

    private static string KeyOf(X500DistinguishedName name) => Convert.ToHexString(name.RawData);
}
