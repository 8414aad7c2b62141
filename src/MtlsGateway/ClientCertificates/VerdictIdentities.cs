using System.Runtime.CompilerServices;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Identity;

namespace MtlsGateway.ClientCertificates;

/// <summary>
/// The identity of each verdict's client certificate, read once per verdict: connections that present the same chain
/// share one cached verdict, so they share its identity (and the principal built from it) instead of decoding names,
/// alternative names and thumbprints again on every handshake. An identity lives as long as its verdict.
/// </summary>
internal sealed class VerdictIdentities
{
    private readonly ConditionalWeakTable<ValidationVerdict, CertificateIdentity> identities = new();

    public CertificateIdentity Of(ValidationVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return identities.GetValue(verdict, static judged => new CertificateIdentity(judged.Path[0]));
    }
}
