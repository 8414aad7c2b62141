using System.Security.Authentication;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace MtlsGateway.Tls;

/// <summary>
/// The parts of a <c>Kestrel:Endpoints:&lt;name&gt;:Sni:&lt;host&gt;</c> entry the gateway checks at start-up. Kestrel
/// applies these per host name after the endpoint's own settings, so the gateway cannot override them per connection:
/// a setting that would weaken mutual TLS for one host name stops start-up instead.
/// </summary>
public sealed class KestrelSniOptions
{
    public ClientCertificateMode? ClientCertificateMode { get; set; }

    public SslProtocols[]? SslProtocols { get; set; }

    public ServerCertificateOptions? Certificate { get; set; }
}
