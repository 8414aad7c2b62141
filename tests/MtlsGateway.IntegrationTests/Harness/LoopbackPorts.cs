using System.Net;
using System.Net.Sockets;

namespace MtlsGateway.IntegrationTests.Harness;

/// <summary>Loopback ports for tests: one nothing listens on (a dead upstream, a collector to start later).</summary>
internal static class LoopbackPorts
{
    public static int Unused()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
