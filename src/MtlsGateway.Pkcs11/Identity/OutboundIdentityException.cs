namespace MtlsGateway.Pkcs11.Identity;

/// <summary>
/// An outbound identity cannot be used. One line naming the identity and the cause, fit for the start-up console and
/// the log; never the PIN, never a stack trace in the message.
/// </summary>
public sealed class OutboundIdentityException : Exception
{
    public OutboundIdentityException(string identity, IdentityFailure failure, string detail, Exception? innerException = null)
        : base($"outbound identity '{identity}': {detail}", innerException)
    {
        Identity = identity;
        Failure = failure;
    }

    public string Identity { get; }

    public IdentityFailure Failure { get; }
}
