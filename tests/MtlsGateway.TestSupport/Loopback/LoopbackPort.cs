using System.Net;
using System.Net.Sockets;

namespace MtlsGateway.TestSupport.Loopback;

public static class LoopbackPort
{
    /// <summary>A loopback port nothing listens on right now: a dead responder, an unreachable distribution point.</summary>
    public static int Unused()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
