using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features.Authentication;

namespace MtlsGateway.Authorization;

/// <summary>
/// The request's authentication result, as ASP.NET Core's authentication middleware leaves it: <c>HttpContext.User</c>
/// and the result authorization reuses instead of authenticating again. One per request (authorization writes to it).
/// </summary>
internal sealed class ClientCertificateAuthenticationFeatures(AuthenticateResult result) : IHttpAuthenticationFeature, IAuthenticateResultFeature
{
    private ClaimsPrincipal? user = result.Principal;

    public AuthenticateResult? AuthenticateResult
    {
        get => result;
        set
        {
            result = value!;
            user = value?.Principal;
        }
    }

    public ClaimsPrincipal? User
    {
        get => user;
        set
        {
            // As ASP.NET Core's own feature: a principal set by hand invalidates the stored result.
            result = null!;
            user = value;
        }
    }
}
