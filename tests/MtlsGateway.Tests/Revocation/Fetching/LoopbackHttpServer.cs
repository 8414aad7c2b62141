using System.Net;
using System.Net.Sockets;

namespace MtlsGateway.Tests.Revocation.Fetching;

/// <summary>A real HTTP server on a loopback port; counts the requests it received.</summary>
internal sealed class LoopbackHttpServer : IDisposable
{
    private readonly HttpListener listener;
    private readonly Func<HttpListenerContext, Task> handle;
    private readonly Task loop;
    private int requestCount;

    public LoopbackHttpServer(Func<HttpListenerContext, Task> handle)
    {
        this.handle = handle;
        (listener, Port) = Start();
        loop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");

    public int RequestCount => Volatile.Read(ref requestCount);

    public static LoopbackHttpServer Serving(Func<byte[]> body) => new(async context =>
    {
        var bytes = body();
        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    });

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        // Close alone: managed HttpListener's Close after Stop looks the endpoint up again and may try to bind the
        // port anew, failing with "Address already in use" once another test has taken it.
        AbandonQuietly(listener);
        try
        {
            loop.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // The accept loop ends with the listener; its exception is expected here.
        }
    }

    private static (HttpListener Listener, int Port) Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            var candidate = new HttpListener();
            candidate.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                candidate.Start();
                return (candidate, port);
            }
            // The probe can hand out a port still in TIME_WAIT from another test's connection, which TcpListener
            // (SO_REUSEADDR) accepts and HttpListener does not: such a port is simply skipped.
            catch (HttpListenerException) when (attempt < 50)
            {
                AbandonQuietly(candidate);
            }
        }
    }

    /// <summary>Managed HttpListener's Close of a listener that never started can throw the same bind error again.</summary>
    private static void AbandonQuietly(HttpListener listener)
    {
        try
        {
            listener.Abort();
        }
        catch (HttpListenerException)
        {
            // Nothing was listening; nothing to release.
        }
        catch (ObjectDisposedException)
        {
            // Already gone.
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Interlocked.Increment(ref requestCount);
            _ = Task.Run(async () =>
            {
                try
                {
                    await handle(context);
                }
                catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
                {
                    // The client went away (a timeout test); nothing to answer.
                }
            });
        }
    }
}
