namespace MtlsGateway.Tls.Handshakes;

/// <summary>Why a TLS handshake failed on the client's certificate; the wire codes are in <see cref="HandshakeFailureReasonCodes"/>.</summary>
internal enum HandshakeFailureReason
{
    /// <summary>The client sent more certificates than <c>MaxChainCertificates</c>.</summary>
    TooManyCertificates,

    /// <summary>The client's handshake records exceeded <c>MaxHandshakeBytes</c>.</summary>
    HandshakeTooLarge,

    /// <summary>The client's CertificateVerify signature does not verify with its certificate's key.</summary>
    BadSignature,

    /// <summary>The client's certificate or signature uses a curve or signature algorithm the server does not accept.</summary>
    UnsupportedAlgorithm,

    /// <summary>The TLS library could not use the client's certificate (unparseable, malformed message).</summary>
    BadCertificate,

    /// <summary>The client did not finish its handshake within Kestrel's handshake timeout.</summary>
    Timeout,

    /// <summary>The client closed the connection during its certificate flight.</summary>
    ClientClosed,

    /// <summary>Any other TLS error (the log line carries the library's message).</summary>
    Other,
}
