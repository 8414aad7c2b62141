using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.Extensions.DependencyInjection;
using MtlsGateway.Authorization;
using MtlsGateway.IntegrationTests.Harness;

namespace MtlsGateway.IntegrationTests.Authorization;

/// <summary>
/// Why the gateway keeps its own authentication handler (README, "Dependencies"): put in its place,
/// Microsoft.AspNetCore.Authentication.Certificate builds its own chain from its options alone, so it refuses a
/// client the gateway's validator accepts because the client sent its intermediate in the handshake. (It also builds
/// that chain on every request; the cost is in CertificateAuthenticationBenchmarks.)
/// </summary>
public sealed class CertificateAuthenticationPackageTests : IDisposable
{
    private const string PackageScheme = "package-certificate";

    /// <summary>A policy on every route, so authorization asks the authentication scheme (without one it never does).</summary>
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Gateway:Authorization:DefaultPolicy"] = "tests",
        ["Gateway:Authorization:Policies:tests:Allow:0:Organizations:0"] = "Tests",
    };

    private readonly TestPki pki = new();

    public void Dispose() => pki.Dispose();

    [Fact]
    public async Task The_gateway_admits_a_client_whose_intermediate_only_it_sent()
    {
        await using var gateway = await TestGateway.StartAsync(pki, Settings);
        Assert.Equal(HttpStatusCode.OK, await StatusOfClientWithItsOwnIntermediateAsync(gateway));
    }

    [Fact]
    public async Task The_certificate_authentication_package_in_its_place_refuses_that_client()
    {
        await using var gateway = await TestGateway.StartAsync(pki, Settings, services: services => UsePackageAsTheScheme(services, pki.Root.Certificate));

        // The package is wired in and works for a client issued by the anchor itself...
        using (var direct = gateway.CreateClient(pki.Client("direct")))
        using (var admitted = await direct.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        }

        // ...but refuses the one whose intermediate only the handshake carried, which the gateway's validator accepted.
        Assert.Equal(HttpStatusCode.Forbidden, await StatusOfClientWithItsOwnIntermediateAsync(gateway));
        Assert.Contains(gateway.Logs.Events, log => log.Category.StartsWith("Microsoft.AspNetCore.Authentication.Certificate", StringComparison.Ordinal)
            && log.Message.Contains("PartialChain", StringComparison.Ordinal));
    }

    private async Task<HttpStatusCode> StatusOfClientWithItsOwnIntermediateAsync(TestGateway gateway)
    {
        using var issuing = await gateway.CreateIntermediateAsync(pki.Root, "CN=Handshake-only Issuing CA, O=MtlsGateway Tests");
        using var leaf = issuing.Issue("CN=sends-its-intermediate, O=Tests");
        using var intermediate = issuing.PublicCertificate;
        using var client = gateway.CreateClient(leaf, [intermediate]);
        using var response = await client.GetAsync("/");
        return response.StatusCode;
    }

    /// <summary>
    /// The package configured as faithfully as it can be: the gateway's trust anchor as its only root, no revocation
    /// (the gateway's validator checked it), and it answers for the gateway's scheme name, which the policies use.
    /// </summary>
    private static void UsePackageAsTheScheme(IServiceCollection services, X509Certificate2 anchor)
    {
        void Configure(CertificateAuthenticationOptions options)
        {
            options.AllowedCertificateTypes = CertificateTypes.Chained;
            options.ChainTrustValidationMode = X509ChainTrustMode.CustomRootTrust;
            options.CustomTrustStore = [X509CertificateLoader.LoadCertificate(anchor.RawData)];
            options.RevocationMode = X509RevocationMode.NoCheck;
        }

        services.AddAuthentication().AddCertificate(PackageScheme, Configure);
        services.Configure<CertificateAuthenticationOptions>(ClientCertificateAuthenticationHandler.SchemeName, Configure);
        services.PostConfigure<AuthenticationOptions>(options =>
            options.SchemeMap[ClientCertificateAuthenticationHandler.SchemeName].HandlerType = options.SchemeMap[PackageScheme].HandlerType);
    }
}
