namespace MtlsGateway.TestSupport.Http;

/// <summary>The HTTP version a raw test client speaks over TLS (negotiated with ALPN).</summary>
public enum HttpVersionChoice
{
    Http11,
    Http2,
}
