namespace MtlsGateway.Tls.Handshakes;

/// <summary>Names why a handshake failed, from the gateway's own refusal or the TLS library's error.</summary>
internal static class HandshakeFailureClassifier
{
    public static (HandshakeFailureReason Reason, string Detail) Classify(HandshakeObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        if (observation.Refusal is { } refusal)
        {
            return (refusal, observation.RefusalDetail ?? refusal.ToCode());
        }

        var error = observation.HandshakeError;
        if (error is null)
        {
            return (HandshakeFailureReason.ClientClosed, "the connection ended during the client's certificate flight");
        }

        var innermost = error;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        var detail = innermost.Message.ReplaceLineEndings(" ");
        if (error is OperationCanceledException or TimeoutException)
        {
            return (HandshakeFailureReason.Timeout, "the client did not finish its handshake in time");
        }

        var text = detail.ToUpperInvariant();
        if (text.Contains("BAD SIGNATURE", StringComparison.Ordinal) || text.Contains("DIGEST CHECK FAILED", StringComparison.Ordinal))
        {
            return (HandshakeFailureReason.BadSignature, detail);
        }

        if (text.Contains("WRONG CURVE", StringComparison.Ordinal) || text.Contains("SIGNATURE TYPE", StringComparison.Ordinal)
            || text.Contains("UNSUPPORTED", StringComparison.Ordinal) || text.Contains("NO SUITABLE", StringComparison.Ordinal)
            || text.Contains("UNKNOWN DIGEST", StringComparison.Ordinal) || text.Contains("SIGNATURE ALGORITHM", StringComparison.Ordinal))
        {
            return (HandshakeFailureReason.UnsupportedAlgorithm, detail);
        }

        if (text.Contains("CERTIFICATE", StringComparison.Ordinal) || text.Contains("ASN1", StringComparison.Ordinal)
            || text.Contains("DECODE", StringComparison.Ordinal) || text.Contains("X509", StringComparison.Ordinal)
            || text.Contains("LENGTH MISMATCH", StringComparison.Ordinal))
        {
            return (HandshakeFailureReason.BadCertificate, detail);
        }

        if (error is IOException && (text.Contains("EOF", StringComparison.Ordinal) || text.Contains("0 BYTES", StringComparison.Ordinal)))
        {
            return (HandshakeFailureReason.ClientClosed, detail);
        }

        return (HandshakeFailureReason.Other, detail);
    }
}
