namespace MtlsGateway.LoadFloor;

/// <summary>What the floor does with an admitted request.</summary>
internal enum FloorMode
{
    /// <summary>Forward it to the upstream with YARP (the floor the gateway is compared with).</summary>
    Proxy,

    /// <summary>Answer "ok" itself: what Kestrel with mutual TLS costs before any forwarding.</summary>
    Direct,
}
