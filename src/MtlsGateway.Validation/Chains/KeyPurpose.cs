namespace MtlsGateway.Validation.Chains;

/// <summary>What the end-entity certificate must be usable for: checked against its keyUsage and the path's extendedKeyUsage.</summary>
public enum KeyPurpose
{
    /// <summary>TLS client authentication (id-kp-clientAuth): the gateway's clients.</summary>
    ClientAuthentication,

    /// <summary>TLS server authentication (id-kp-serverAuth): the gateway's upstreams.</summary>
    ServerAuthentication,

    /// <summary>No usage requirement: path validation only (check-cert --purpose any, conformance suites).</summary>
    Any,
}
