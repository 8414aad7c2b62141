using Microsoft.AspNetCore.Connections.Features;
using MtlsGateway.Tls.Handshakes;

namespace MtlsGateway.ClientCertificates;

/// <summary>
/// Ends the connection a refused certificate came on, once the refusal is written: the verdict belongs to the
/// connection, so every further request on it would be refused too, and a refused client must not hold connections
/// the gateway needs for others. HTTP/1.x gets <c>Connection: close</c> (and close_notify after it); HTTP/2 and HTTP/3 a graceful close (GOAWAY),
/// which lets streams already in flight finish.
/// </summary>
internal static class RefusedConnectionClosing
{
    public static void AfterThisResponse(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (HttpProtocol.IsHttp2(context.Request.Protocol) || HttpProtocol.IsHttp3(context.Request.Protocol))
        {
            context.Features.Get<IConnectionLifetimeNotificationFeature>()?.RequestClose();
        }
        else
        {
            context.Response.Headers.Connection = "close";
            CloseNotifyMiddleware.SendAfterResponse(context);
        }
    }
}
