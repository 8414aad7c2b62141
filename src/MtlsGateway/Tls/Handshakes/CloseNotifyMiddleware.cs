namespace MtlsGateway.Tls.Handshakes;

/// <summary>
/// Sends the TLS close_notify alert after the last response of an HTTP/1.x connection the gateway closes, once the
/// response is complete and before Kestrel disposes the TLS stream. Without it OpenSSL clients report "unexpected eof
/// while reading" and do not keep the session for resumption. Kestrel's HTTP/1 layer completes nothing on its transport
/// when it ends a connection, so this is the last point where the gateway still holds the stream with nothing else
/// writing to it. The callback is registered only for a connection known to close: one whose request asks for it
/// (<c>Connection: close</c>, HTTP/1.0 without keep-alive) here, one the gateway refuses through
/// <see cref="SendAfterResponse"/>; a keep-alive request pays for no callback.
/// </summary>
internal sealed class CloseNotifyMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (RequestEndsConnection(context.Request))
        {
            Register(context);
        }

        return next(context);
    }

    /// <summary>
    /// For a response after which the gateway closes an HTTP/1.x TLS connection (it sets <c>Connection: close</c>). A
    /// request that asked to close already has the callback: it is registered once.
    /// </summary>
    public static void SendAfterResponse(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!RequestEndsConnection(context.Request))
        {
            Register(context);
        }
    }

    private static void Register(HttpContext context)
    {
        if ((HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol))
            && context.Features.Get<Microsoft.AspNetCore.Server.Kestrel.Core.Features.ISslStreamFeature>() is not null)
        {
            // A static callback with the context as its state: no closure.
            context.Response.OnCompleted(OnResponseCompleted, context);
        }
    }

    private static Task OnResponseCompleted(object state)
    {
        var context = (HttpContext)state;
        return ConnectionCloses(context) && context.Features.Get<Microsoft.AspNetCore.Server.Kestrel.Core.Features.ISslStreamFeature>()?.SslStream is { } stream
            ? SendAsync(stream)
            : Task.CompletedTask;
    }

    private static bool RequestEndsConnection(HttpRequest request) =>
        HttpProtocol.IsHttp10(request.Protocol)
            ? !HasToken(request.Headers.Connection, "keep-alive")
            : HttpProtocol.IsHttp11(request.Protocol) && HasToken(request.Headers.Connection, "close");

    private static bool ConnectionCloses(HttpContext context) =>
        HasToken(context.Response.Headers.Connection, "close") || RequestEndsConnection(context.Request);

    private static bool HasToken(Microsoft.Extensions.Primitives.StringValues values, string token)
    {
        foreach (var value in values)
        {
            if (value is null)
            {
                continue;
            }

            foreach (var part in value.AsSpan().Split(','))
            {
                if (value.AsSpan()[part].Trim().Equals(token, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static async Task SendAsync(System.Net.Security.SslStream stream)
    {
        try
        {
            await stream.ShutdownAsync().WaitAsync(TlsConnectionGuard.CloseNotifyTimeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or NotSupportedException or TimeoutException)
        {
            // The client went away first: nothing to tell it.
        }
    }
}
