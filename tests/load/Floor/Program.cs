using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace MtlsGateway.LoadFloor;

/// <summary>
/// Kestrel requiring a client certificate and accepting it, YARP forwarding: the least .NET needs to do the gateway's
/// job, for the load comparison. Usage: MtlsGateway.LoadFloor --Floor:Url=https://127.0.0.1:18443 --Floor:CertificatePath=...
/// (see <see cref="FloorOptions"/>).
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var options = builder.Configuration.GetSection(FloorOptions.SectionName).Get<FloorOptions>() ?? new FloorOptions();
        var validation = new FloorOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            Console.Error.WriteLine("MtlsGateway.LoadFloor: cannot start: " + validation.FailureMessage);
            return 1;
        }

        var tls = new FloorTls(options);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(System.Net.IPAddress.Parse(options.Url.Host), options.Url.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(tls.Apply);
            });
        });
        builder.Services.AddSingleton(Options.Create(options));
        if (options.Mode == FloorMode.Proxy)
        {
            builder.Services.AddFloorProxy(options);
        }

        var app = builder.Build();
        if (options.Mode == FloorMode.Proxy)
        {
            app.MapReverseProxy();
        }
        else
        {
            // With a length, as nginx answers: ab cannot read chunked answers on keep-alive connections.
            app.Run(context =>
            {
                context.Response.ContentType = "text/plain";
                context.Response.ContentLength = 2;
                return context.Response.WriteAsync("ok", context.RequestAborted);
            });
        }

        app.Run();
        return 0;
    }
}
