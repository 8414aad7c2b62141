using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using MtlsGateway.ClientCertificates;

namespace MtlsGateway.Authorization;

/// <summary>
/// Authenticates a request by the verdict the validation middleware left on it: the principal carries the claims
/// Microsoft's certificate authentication package issues, so authorization code written for ASP.NET Core reads it as
/// usual. It validates nothing itself (the validator is the only judge of trust), and builds no chain; why not the
/// package itself: README, "Dependencies".
/// </summary>
internal sealed class ClientCertificateAuthenticationHandler(
    ClientCertificatePrincipals principals,
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ClientCertificate";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
        Task.FromResult(Context.Features.Get<IClientCertificateVerdictFeature>() is { } feature
            ? principals.ResultFor(feature.Identity)
            : AuthenticateResult.NoResult());
}
