using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.IntegrationTests.Harness;
using MtlsGateway.TestSupport.Http;
using MtlsGateway.TestSupport.Loopback;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.TestSupport.Processes;
using static MtlsGateway.TestSupport.Pki.Oids;

namespace MtlsGateway.IntegrationTests.ClientCertificates;

/// <summary>
/// Certificate policies and crypto minimums through the real gateway, real Kestrel and real TLS. Revocation is
/// BestEffort here: these paths are about policies and algorithms, not about CRLs of their hand-built CAs.
/// Weak client certificates are presented by curl at OpenSSL security level 0: .NET's own client, like any client at
/// OpenSSL's default level, refuses to present them, but an attacker's client does not have to.
/// </summary>
public sealed class PolicyAndCryptoTests : IDisposable
{
    private static readonly string P1 = TestPolicy(1);
    private static readonly string P2 = TestPolicy(2);

    private readonly TestPki pki = new("Policy");
    private readonly string folder = Directory.CreateTempSubdirectory("mtlsgateway-policy-").FullName;

    public void Dispose()
    {
        pki.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task A_policy_constrained_path_is_admitted_and_another_refused()
    {
        using var issuing = pki.Root.CreateIntermediate("CN=Issuing P1 P2, O=Tests", profile => profile.AddPolicies(P1, P2));
        await using var gateway = await TestGateway.StartAsync(pki, new Dictionary<string, string?>
        {
            ["Gateway:ClientCertificates:Revocation:Mode"] = "BestEffort",
            ["Gateway:ClientCertificates:Policies:Acceptable:0"] = P1,
            ["Gateway:ClientCertificates:Policies:RequireExplicitPolicy"] = "true",
        });

        using (var admitted = gateway.CreateClient(issuing.Issue("CN=p1 client, O=Tests", profile => profile.AddPolicies(P1)), [issuing.PublicCertificate]))
        using (var response = await admitted.GetAsync("/hello"))
        {
            await Echo.ReadAsync(response);
        }

        using var refusedClient = gateway.CreateClient(issuing.Issue("CN=p2 client, O=Tests", profile => profile.AddPolicies(P2)), [issuing.PublicCertificate]);
        using var refused = await refusedClient.GetAsync("/hello");
        var problem = await ProblemAssert.RefusedAsync(refused, "untrusted");
        Assert.Equal(
            $"certificate policies: the path is valid for {P2}, none of the acceptable policies ({P1}), and it must be valid for one (the RequireExplicitPolicy setting)",
            problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_route_rule_on_certificate_policies_admits_and_refuses()
    {
        using var issuing = pki.Root.CreateIntermediate("CN=Issuing Any, O=Tests", profile => profile.AddPolicies(P1, P2));
        await using var gateway = await TestGateway.StartAsync(pki, new Dictionary<string, string?>
        {
            ["Gateway:ClientCertificates:Revocation:Mode"] = "BestEffort",
            ["Gateway:Authorization:Policies:p1-only:Allow:0:CertificatePolicies:0"] = P1,
            ["ReverseProxy:Routes:p1:ClusterId"] = "upstream",
            ["ReverseProxy:Routes:p1:Match:Path"] = "/p1/{**rest}",
            ["ReverseProxy:Routes:p1:AuthorizationPolicy"] = "p1-only",
        });

        using (var admitted = gateway.CreateClient(issuing.Issue("CN=p1 holder, O=Tests", profile => profile.AddPolicies(P1)), [issuing.PublicCertificate]))
        using (var response = await admitted.GetAsync("/p1/x"))
        {
            await Echo.ReadAsync(response);
        }

        using var otherClient = gateway.CreateClient(issuing.Issue("CN=p2 holder, O=Tests", profile => profile.AddPolicies(P2)), [issuing.PublicCertificate]);
        using (var refused = await otherClient.GetAsync("/p1/x"))
        {
            await ProblemAssert.RefusedAsync(refused, "forbidden");
        }

        // The same client is a valid client elsewhere: only the route's rule refused it.
        using var elsewhere = await otherClient.GetAsync("/other");
        await Echo.ReadAsync(elsewhere);
    }

    [Fact]
    public async Task Weak_leaves_are_refused_by_default_and_admitted_only_as_far_as_the_settings_allow()
    {
        using var rsaRoot = TestCa.CreateRoot("CN=RSA Root, O=Tests", profile => profile.Key = KeySpec.Rsa2048);
        var rsaRootFile = Path.Combine(folder, "rsa-root.pem");
        File.WriteAllText(rsaRootFile, rsaRoot.Certificate.ExportCertificatePem());
        var md5 = rsaRoot.Issue("CN=md5 client, O=Tests", RsaSignedWith(HashAlgorithmName.MD5));
        var sha1 = rsaRoot.Issue("CN=sha1 client, O=Tests", RsaSignedWith(HashAlgorithmName.SHA1));
        var rsa1024 = rsaRoot.Issue("CN=rsa1024 client, O=Tests", profile => profile.Key = KeySpec.Rsa(1024));
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:ClientCertificates:Revocation:Mode"] = "BestEffort",
            ["Gateway:ClientCertificates:TrustedCaFiles:1"] = rsaRootFile,
        };

        await using (var strict = await TestGateway.StartAsync(pki, settings))
        {
            await AssertWeakAsync(strict, md5, "'CN=md5 client, O=Tests': md5WithRSAEncryption signature (MD5), never accepted");
            await AssertWeakAsync(strict, sha1, "'CN=sha1 client, O=Tests': sha1WithRSAEncryption signature (SHA-1), not accepted unless AllowSha1Signatures is set");
            await AssertWeakAsync(strict, rsa1024, "'CN=rsa1024 client, O=Tests': RSA key of 1024 bits, below the minimum of 2048 (MinimumKeySize)");
        }

        settings["Gateway:ClientCertificates:AllowSha1Signatures"] = "true";
        settings["Gateway:ClientCertificates:MinimumKeySize"] = "1024";
        await using var lenient = await TestGateway.StartAsync(pki, settings);
        foreach (var admitted in new[] { sha1, rsa1024 })
        {
            var (status, body) = await CurlAsync(lenient, admitted, []);
            Assert.True(status == 200, $"expected 200, got {status}: {body}");
            Assert.Contains("\"upstream\":", body, StringComparison.Ordinal);
        }

        await AssertWeakAsync(lenient, md5, "'CN=md5 client, O=Tests': md5WithRSAEncryption signature (MD5), never accepted");
    }

    [Fact]
    public async Task A_strong_leaf_under_a_weak_intermediate_is_refused()
    {
        using var weak = pki.Root.CreateIntermediate("CN=Weak Issuing, O=Tests", profile => profile.Key = KeySpec.Rsa(1024));
        await using var gateway = await TestGateway.StartAsync(pki, new Dictionary<string, string?> { ["Gateway:ClientCertificates:Revocation:Mode"] = "BestEffort" });
        await AssertWeakAsync(gateway, weak.Issue("CN=strong, O=Tests"), "'CN=Weak Issuing, O=Tests': RSA key of 1024 bits, below the minimum of 2048 (MinimumKeySize)", weak.PublicCertificate);
    }

    private async Task AssertWeakAsync(TestGateway gateway, X509Certificate2 certificate, string detail, params X509Certificate2[] chain)
    {
        var (status, body) = await CurlAsync(gateway, certificate, chain);
        Assert.True(status == 403, $"expected 403, got {status}: {body}");
        var problem = System.Text.Json.JsonDocument.Parse(body).RootElement;
        Assert.Equal("weak-crypto", problem.GetProperty("reason").GetString());
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }

    /// <summary>One GET /hello with curl presenting the certificate (and chain) at OpenSSL security level 0.</summary>
    private async Task<(int Status, string Body)> CurlAsync(TestGateway gateway, X509Certificate2 certificate, X509Certificate2[] chain)
    {
        var name = Guid.NewGuid().ToString("N");
        var certFile = Path.Combine(folder, name + ".crt");
        var keyFile = Path.Combine(folder, name + ".key");
        var caFile = Path.Combine(folder, "gateway-ca.pem");
        PemFiles.WriteCertificates(certFile, [certificate, .. chain]);
        PemFiles.WritePrivateKey(keyFile, certificate);
        PemFiles.WriteCertificate(caFile, pki.Root.Certificate);
        // curl loads its certificate before --ciphers applies, so the security level comes from an OpenSSL configuration.
        var openSslConf = Path.Combine(folder, "seclevel0.cnf");
        await File.WriteAllTextAsync(openSslConf, "openssl_conf = default_conf\n[default_conf]\nssl_conf = ssl_sect\n[ssl_sect]\nsystem_default = system_default_sect\n[system_default_sect]\nCipherString = DEFAULT@SECLEVEL=0\n");
        var result = await ProcessRunner.RunAsync(
            "curl",
            [
                "-sS", "--max-time", "30", "--ciphers", "DEFAULT@SECLEVEL=0", "--cacert", caFile, "--cert", certFile, "--key", keyFile,
                "-w", "\n%{http_code}", new Uri(gateway.Address, "/hello").ToString(),
            ],
            new ProcessOptions { Environment = new Dictionary<string, string?> { ["OPENSSL_CONF"] = openSslConf } });
        var output = result.StandardOutput;
        var split = output.LastIndexOf('\n');
        Assert.True(split >= 0 && result.ExitCode == 0, $"curl failed ({result.ExitCode}): {result.StandardError}{output}");
        return (int.Parse(output[(split + 1)..], System.Globalization.CultureInfo.InvariantCulture), output[..split]);
    }

    /// <summary>An RSA-2048 client, signed by its RSA issuer with PKCS#1 v1.5 and the given hash.</summary>
    private static Action<CertificateProfile> RsaSignedWith(HashAlgorithmName hash) => profile =>
    {
        profile.Key = KeySpec.Rsa2048;
        profile.SignatureHash = hash;
    };
}
