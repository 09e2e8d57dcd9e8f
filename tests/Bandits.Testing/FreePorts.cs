using System.Net;
using System.Net.Sockets;

namespace Bandits.Testing;

/// <summary>TCP ports on 127.0.0.1 that nothing listens on, as the operating system hands them out.</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
