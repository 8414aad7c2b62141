namespace MtlsGateway.Tls.Handshakes;

/// <summary>
/// Finds a connection's <see cref="HandshakeObservation"/> from where Kestrel gives no connection: its certificate
/// validation callback and its Debug log of a failed handshake. Both run inside the TLS middleware, in the async flow
/// of the <see cref="TlsConnectionGuard"/> that set the observation. (The chain policy cannot carry it: SslStream
/// copies the policy it is given.)
/// </summary>
internal sealed class HandshakeObservations
{
    private readonly AsyncLocal<HandshakeObservation?> current = new();

    /// <summary>The observation of the handshake running in this async flow, if any.</summary>
    public HandshakeObservation? Current
    {
        get => current.Value;
        set => current.Value = value;
    }
}
