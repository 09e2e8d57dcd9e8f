using System.Net;
using System.Net.Sockets;

namespace Bandits.Testing;

/// <summary>
/// TCP ports on 127.0.0.1 that nothing listens on, below Linux's ephemeral range (32768–60999 by
/// default). A port the operating system hands out is in that range, where it also picks the local
/// port of every outgoing connection: the tests' own HTTP and database connections could take it
/// between the check and the server's bind. Handed out in turn from a random start, so that
/// one process never gets the same port twice and two processes rarely meet.
/// </summary>
public static class FreePorts
{
    private const int First = 20_000, Count = 12_000;
    private static int turn = Random.Shared.Next(Count);

    public static int Next()
    {
        for (int attempt = 0; attempt < Count; attempt++)
        {
            int port = First + (int)((uint)Interlocked.Increment(ref turn) % Count);
            if (IsFree(port)) return port;
        }
        throw new InvalidOperationException($"No free port in {First}–{First + Count - 1}.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
