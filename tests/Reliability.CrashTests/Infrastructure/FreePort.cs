using System.Net;
using System.Net.Sockets;

namespace IntegrationHub.Reliability.CrashTests.Infrastructure;

public static class FreePort
{
    /// <summary>A loopback port that was free a moment ago (the kernel's pick for port 0).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
