using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using MtlsGateway.Validation.Identity;

namespace MtlsGateway.Authorization;

/// <summary>
/// The ClaimsPrincipal of each client identity and its authentication result, built once and dropped with it (the
/// identity lives as long as its connection's state), as the certificate authentication package's validation cache
/// keeps one per certificate.
/// The claims are the ones that package issues, every subject alternative name included.
/// </summary>
internal sealed class ClientCertificatePrincipals
{
    /// <summary>The issuer DN, under the claim type the package uses.</summary>
    public const string IssuerClaim = "issuer";

    /// <summary>The SHA-256 thumbprint (ClaimTypes.Thumbprint carries SHA-1, as in Microsoft's handler).</summary>
    public const string Sha256ThumbprintClaim = "urn:mtlsgateway:claims:sha256";

    private readonly ConditionalWeakTable<CertificateIdentity, AuthenticateResult> results = new();

    public ClaimsPrincipal For(CertificateIdentity identity) => ResultFor(identity).Principal!;

    /// <summary>The successful authentication of <paramref name="identity"/> under the gateway's scheme.</summary>
    public AuthenticateResult ResultFor(CertificateIdentity identity) =>
        results.GetValue(identity, static identity => AuthenticateResult.Success(new AuthenticationTicket(Create(identity), ClientCertificateAuthenticationHandler.SchemeName)));

    private static ClaimsPrincipal Create(CertificateIdentity identity)
    {
        var issuer = identity.Issuer;
        var claims = new List<Claim>
        {
            new(IssuerClaim, issuer, ClaimValueTypes.String, issuer),
            new(ClaimTypes.Thumbprint, identity.Certificate.Thumbprint, ClaimValueTypes.Base64Binary, issuer),
            new(Sha256ThumbprintClaim, identity.Sha256Thumbprint, ClaimValueTypes.String, issuer),
            new(ClaimTypes.X500DistinguishedName, identity.Subject, ClaimValueTypes.String, issuer),
            new(ClaimTypes.SerialNumber, identity.SerialNumber, ClaimValueTypes.String, issuer),
            new(ClaimTypes.Name, identity.CommonNames is [var commonName, ..] ? commonName : identity.Subject, ClaimValueTypes.String, issuer),
        };
        claims.AddRange(identity.AlternativeNames.DnsNames.Select(dns => new Claim(ClaimTypes.Dns, dns, ClaimValueTypes.String, issuer)));
        claims.AddRange(identity.AlternativeNames.Emails.Select(email => new Claim(ClaimTypes.Email, email, ClaimValueTypes.String, issuer)));
        claims.AddRange(identity.AlternativeNames.Uris.Select(uri => new Claim(ClaimTypes.Uri, uri, ClaimValueTypes.String, issuer)));
        claims.AddRange(identity.AlternativeNames.UserPrincipalNames.Select(upn => new Claim(ClaimTypes.Upn, upn, ClaimValueTypes.String, issuer)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, ClientCertificateAuthenticationHandler.SchemeName));
    }
}
