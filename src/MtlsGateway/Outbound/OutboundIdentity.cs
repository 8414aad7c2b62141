using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Pkcs11.Identity;

namespace MtlsGateway.Outbound;

/// <summary>
/// The live state of one outbound identity: the certificate TLS handshakes present now, or the reason there is none.
/// Swapped as a whole (one volatile reference), so a handshake never sees half an update.
/// </summary>
internal sealed class OutboundIdentity
{
    private volatile State state;

    /// <summary>Not loaded yet: unavailable until <see cref="Loaded(X509Certificate2, Pkcs11Identity?)"/>.</summary>
    public OutboundIdentity(OutboundIdentityDefinition definition)
    {
        Definition = definition;
        state = new State(null, null, "not loaded yet");
    }

    public OutboundIdentityDefinition Definition { get; }

    public string Name => Definition.Name;

    /// <summary>The certificate (with its private key or engine key) to present, or null while the identity is unavailable.</summary>
    public X509Certificate2? Certificate => state.Problem is null ? state.Certificate : null;

    public bool IsAvailable => state.Problem is null;

    /// <summary>Why the identity is unavailable, or null.</summary>
    public string? Problem => state.Problem;

    /// <summary>The token identity last loaded (kept while unavailable, to probe for the token's return).</summary>
    public Pkcs11Identity? Token => state.Token;

    /// <summary>Set when a reload failed in a way retrying would make worse (wrong PIN): only a restart tries again.</summary>
    public bool ReloadBlocked { get; private set; }

    public void Loaded(X509Certificate2 certificate, Pkcs11Identity? token) => state = new State(certificate, token, null);

    public void MarkUnavailable(string problem) => state = state with { Problem = problem };

    public void BlockReload(string problem)
    {
        ReloadBlocked = true;
        MarkUnavailable(problem);
    }

    /// <returns>The token identity replaced, for the caller to retire.</returns>
    public Pkcs11Identity? Replace(Pkcs11Identity token)
    {
        var previous = state.Token;
        state = new State(token.Certificate, token, null);
        return previous;
    }

    private sealed record State(X509Certificate2? Certificate, Pkcs11Identity? Token, string? Problem);
}
