namespace MtlsGateway.Proxy;

/// <summary>How a route forwards the client's identity upstream: <c>{ "ForwardClientCert": "Xfcc" | "Rfc9440" | "None" }</c>.</summary>
public enum ClientCertFormat
{
    None,

    /// <summary>Envoy's X-Forwarded-Client-Cert.</summary>
    Xfcc,

    /// <summary>RFC 9440 Client-Cert and Client-Cert-Chain.</summary>
    Rfc9440,
}
