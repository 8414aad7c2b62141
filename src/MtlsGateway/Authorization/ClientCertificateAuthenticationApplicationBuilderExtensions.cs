namespace MtlsGateway.Authorization;

/// <summary>Puts the gateway's authentication step (<see cref="ClientCertificateAuthenticationMiddleware"/>) in the pipeline.</summary>
internal static class ClientCertificateAuthenticationApplicationBuilderExtensions
{
    /// <summary>
    /// The key <c>UseAuthentication()</c> sets. WebApplication adds ASP.NET Core's AuthenticationMiddleware at the very
    /// start of the pipeline whenever authentication services exist and this key is absent: it would then run before
    /// the verdict exists and resolve a handler and authenticate on every request, in addition to this middleware.
    /// </summary>
    internal const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";

    public static IApplicationBuilder UseClientCertificateAuthentication(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Properties[AuthenticationMiddlewareSetKey] = true;
        return app.UseMiddleware<ClientCertificateAuthenticationMiddleware>();
    }
}
