namespace MtlsGateway.Tls.Handshakes;

/// <summary>The fixed codes of <see cref="HandshakeFailureReason"/>, in logs and in <c>mtlsgateway.tls.handshake.failures{reason}</c>.</summary>
internal static class HandshakeFailureReasonCodes
{
    public static string ToCode(this HandshakeFailureReason reason) => reason switch
    {
        HandshakeFailureReason.TooManyCertificates => "too-many-certificates",
        HandshakeFailureReason.HandshakeTooLarge => "handshake-too-large",
        HandshakeFailureReason.BadSignature => "bad-signature",
        HandshakeFailureReason.UnsupportedAlgorithm => "unsupported-algorithm",
        HandshakeFailureReason.BadCertificate => "bad-certificate",
        HandshakeFailureReason.Timeout => "timeout",
        HandshakeFailureReason.ClientClosed => "client-closed",
        HandshakeFailureReason.Other => "other",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
