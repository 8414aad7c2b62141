using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MtlsGateway.Authorization;
using MtlsGateway.ClientCertificates;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.Validation.Chains;

namespace MtlsGateway.Benchmarks.Authorization;

/// <summary>
/// What authenticating one request costs, after the gateway's validator has judged the chain: the gateway's own
/// handler (claims from the verdict the request already carries) against Microsoft.AspNetCore.Authentication.Certificate,
/// which builds its own X509Chain on every request, or once per certificate with its validation cache.
/// The package is given its best case: the intermediate is configured (AdditionalChainCertificates), so its chain
/// build succeeds; a client that sends its intermediate only in the handshake is refused by it (see
/// CertificateAuthenticationPackageTests). ECDSA P-256 root → intermediate → leaf.
/// </summary>
[MemoryDiagnoser]
public class CertificateAuthenticationBenchmarks
{
    private const string GatewayScheme = "gateway";
    private const string PackageScheme = "package";
    private ServiceProvider withoutCache = null!;
    private ServiceProvider withCache = null!;
    private TestCa root = null!;
    private X509Certificate2 leaf = null!;
    private ClientCertificateVerdictFeature verdict = null!;

    [GlobalSetup]
    public void Setup()
    {
        root = TestCa.CreateRoot("CN=Bench Root");
        using var intermediate = root.CreateIntermediate("CN=Bench Issuing");
        leaf = intermediate.Issue("CN=bench-client, O=Bench");
        var intermediatePublic = intermediate.PublicCertificate;
        var now = DateTimeOffset.UtcNow;

        var accepted = ValidationVerdict.Accept([leaf, intermediatePublic, root.Certificate], now.AddYears(1), epoch: 0);
        verdict = new ClientConnectionState([intermediatePublic]).FeatureFor(accepted, new VerdictIdentities());
        withoutCache = Services(root.Certificate, intermediatePublic, cache: false);
        withCache = Services(root.Certificate, intermediatePublic, cache: true);
        foreach (var (services, scheme) in new[] { (withoutCache, GatewayScheme), (withoutCache, PackageScheme), (withCache, PackageScheme) })
        {
            if (!AuthenticateAsync(services, scheme).GetAwaiter().GetResult())
            {
                throw new InvalidOperationException($"scheme {scheme} did not authenticate the benchmark client");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        withoutCache.Dispose();
        withCache.Dispose();
        root.Dispose();
    }

    [Benchmark(Description = "Gateway handler: claims from the request's verdict", Baseline = true)]
    public Task<bool> GatewayHandler() => AuthenticateAsync(withoutCache, GatewayScheme);

    [Benchmark(Description = "Authentication.Certificate: its own chain build per request")]
    public Task<bool> Package() => AuthenticateAsync(withoutCache, PackageScheme);

    [Benchmark(Description = "Authentication.Certificate with AddCertificateCache: cache hit")]
    public Task<bool> PackageCached() => AuthenticateAsync(withCache, PackageScheme);

    private async Task<bool> AuthenticateAsync(ServiceProvider services, string scheme)
    {
        // A scope per request, as ASP.NET Core makes one: authentication handlers are per request.
        await using var scope = services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Scheme = "https";
        context.Connection.ClientCertificate = leaf;
        context.Features.Set<IClientCertificateVerdictFeature>(verdict);
        return (await context.AuthenticateAsync(scheme)).Succeeded;
    }

    private static ServiceProvider Services(X509Certificate2 root, X509Certificate2 intermediate, bool cache)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<ClientCertificatePrincipals>();
        var authentication = services.AddAuthentication();
        authentication
            .AddScheme<AuthenticationSchemeOptions, ClientCertificateAuthenticationHandler>(GatewayScheme, null)
            .AddCertificate(PackageScheme, options =>
            {
                options.AllowedCertificateTypes = CertificateTypes.Chained;
                options.ChainTrustValidationMode = X509ChainTrustMode.CustomRootTrust;
                options.CustomTrustStore = [root];
                options.AdditionalChainCertificates = [intermediate];
                options.RevocationMode = X509RevocationMode.NoCheck;
            });
        if (cache)
        {
            authentication.AddCertificateCache();
        }

        return services.BuildServiceProvider();
    }
}
