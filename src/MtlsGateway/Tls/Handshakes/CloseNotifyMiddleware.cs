namespace MtlsGateway.Tls.Handshakes;

/// <summary>
/// Sends the TLS close_notify alert after the last response of an HTTP/1.x connection the gateway closes
/// (<c>Connection: close</c> from either side, HTTP/1.0 without keep-alive), once the response is complete and
/// before Kestrel disposes the TLS stream. Without it OpenSSL clients report "unexpected eof while reading" and do
/// not keep the session for resumption. Kestrel's HTTP/1 layer completes nothing on its transport when it ends a
/// connection, so this is the last point where the gateway still holds the stream with nothing else writing to it.
/// </summary>
internal sealed class CloseNotifyMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if ((HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol))
            && context.Features.Get<Microsoft.AspNetCore.Server.Kestrel.Core.Features.ISslStreamFeature>() is not null)
        {
            // A static callback with the context as its state: no closure per keep-alive request.
            context.Response.OnCompleted(OnResponseCompleted, context);
        }

        return next(context);
    }

    private static Task OnResponseCompleted(object state)
    {
        var context = (HttpContext)state;
        return ConnectionCloses(context) && context.Features.Get<Microsoft.AspNetCore.Server.Kestrel.Core.Features.ISslStreamFeature>()?.SslStream is { } stream
            ? SendAsync(stream)
            : Task.CompletedTask;
    }

    private static bool ConnectionCloses(HttpContext context)
    {
        if (HasToken(context.Response.Headers.Connection, "close"))
        {
            return true;
        }

        return HttpProtocol.IsHttp10(context.Request.Protocol)
            ? !HasToken(context.Request.Headers.Connection, "keep-alive")
            : HasToken(context.Request.Headers.Connection, "close");
    }

    private static bool HasToken(Microsoft.Extensions.Primitives.StringValues values, string token) =>
        values.Any(value => value is not null && value.Split(',').Any(part => part.Trim().Equals(token, StringComparison.OrdinalIgnoreCase)));

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
