using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.Extensions.Options;
using MtlsGateway.ClientCertificates;

namespace MtlsGateway.Authorization;

/// <summary>
/// Authenticates each request with the default scheme, as <c>UseAuthentication()</c> does, at the cost of one small
/// object per request when that scheme is the gateway's own: the principal and its result are built once per client
/// identity (so once per connection) from the verdict the validation middleware left on the request, where
/// <c>UseAuthentication()</c> would open a service scope and create a handler, two tickets and two results per request.
/// A scheme whose handler was replaced (a test puts Microsoft's certificate package in its place) is asked the usual way.
/// </summary>
internal sealed class ClientCertificateAuthenticationMiddleware
{
    private readonly RequestDelegate next;
    private readonly ClientCertificatePrincipals principals;
    private readonly string? defaultScheme;
    private readonly bool defaultSchemeIsOwn;

    public ClientCertificateAuthenticationMiddleware(RequestDelegate next, ClientCertificatePrincipals principals, IOptions<AuthenticationOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.next = next;
        this.principals = principals;
        defaultScheme = options.Value.DefaultAuthenticateScheme ?? options.Value.DefaultScheme;
        defaultSchemeIsOwn = defaultScheme is not null
            && options.Value.SchemeMap.TryGetValue(defaultScheme, out var scheme)
            && scheme.HandlerType == typeof(ClientCertificateAuthenticationHandler);
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (!defaultSchemeIsOwn)
        {
            return AuthenticateThroughSchemeAsync(context);
        }

        if (context.Features.Get<IClientCertificateVerdictFeature>() is { } verdict)
        {
            Authenticated(context, principals.ResultFor(verdict.Identity));
        }

        return next(context);
    }

    private async Task AuthenticateThroughSchemeAsync(HttpContext context)
    {
        if (defaultScheme is not null)
        {
            var result = await context.AuthenticateAsync(defaultScheme).ConfigureAwait(false);
            if (result.Succeeded)
            {
                Authenticated(context, result);
            }
        }

        await next(context).ConfigureAwait(false);
    }

    private static void Authenticated(HttpContext context, AuthenticateResult result)
    {
        var features = new ClientCertificateAuthenticationFeatures(result);
        context.Features.Set<IHttpAuthenticationFeature>(features);
        context.Features.Set<IAuthenticateResultFeature>(features);
    }
}
