using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using MtlsGateway.ClientCertificates;

namespace MtlsGateway.Authorization;

/// <summary>
/// Turns the validated client certificate into a ClaimsPrincipal with the claims Microsoft's certificate authentication
/// package issues, so authorization code written for ASP.NET Core reads it as usual. It validates nothing itself:
/// the validation middleware has already accepted the certificate, or the request never got here.
/// </summary>
internal sealed class ClientCertificateAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ClientCertificate";

    /// <summary>The SHA-256 thumbprint (ClaimTypes.Thumbprint carries SHA-1, as in Microsoft's handler).</summary>
    public const string Sha256ThumbprintClaim = "urn:mtlsgateway:claims:sha256";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Context.Features.Get<IClientCertificateVerdictFeature>() is not { } feature)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var identity = feature.Identity;
        var issuer = identity.Issuer;
        var claims = new List<Claim>
        {
            new(ClaimTypes.Thumbprint, identity.Certificate.Thumbprint, ClaimValueTypes.Base64Binary, issuer),
            new(Sha256ThumbprintClaim, identity.Sha256Thumbprint, ClaimValueTypes.String, issuer),
            new(ClaimTypes.X500DistinguishedName, identity.Subject, ClaimValueTypes.String, issuer),
            new(ClaimTypes.SerialNumber, identity.SerialNumber, ClaimValueTypes.String, issuer),
        };
        if (identity.Certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false) is { Length: > 0 } name)
        {
            claims.Add(new Claim(ClaimTypes.Name, name, ClaimValueTypes.String, issuer));
        }

        claims.AddRange(identity.AlternativeNames.DnsNames.Select(dns => new Claim(ClaimTypes.Dns, dns, ClaimValueTypes.String, issuer)));
        claims.AddRange(identity.AlternativeNames.Emails.Select(email => new Claim(ClaimTypes.Email, email, ClaimValueTypes.String, issuer)));
        claims.AddRange(identity.AlternativeNames.Uris.Select(uri => new Claim(ClaimTypes.Uri, uri, ClaimValueTypes.String, issuer)));
        claims.AddRange(identity.AlternativeNames.UserPrincipalNames.Select(upn => new Claim(ClaimTypes.Upn, upn, ClaimValueTypes.String, issuer)));

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
