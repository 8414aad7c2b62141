using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using MtlsGateway.Validation.Revocation.Fetching;
using MtlsGateway.Validation.Revocation.Ocsp;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.Benchmarks.Revocation;

/// <summary>
/// What OCSP costs on the request path: a cached answer (the common case, no network), and parsing plus verifying a
/// fresh answer (once per certificate per nextUpdate). The answer is a real one made by `openssl ocsp -respout`.
/// </summary>
[MemoryDiagnoser]
public class OcspBenchmarks
{
    private string folder = string.Empty;
    private HttpListener listener = null!;
    private HttpMessageInvoker invoker = null!;
    private OcspClient client = null!;
    private X509Certificate2 ca = null!;
    private X509Certificate2 certificate = null!;
    private OcspRequest request = null!;
    private byte[] answer = [];
    private readonly OcspVerificationOptions verification = new();

    [GlobalSetup]
    public void Setup()
    {
        folder = Directory.CreateTempSubdirectory("mtlsgw-ocsp-bench-").FullName;
        var port = FreePort();
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Bench CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(Path.Combine(folder, "ca.pem"), ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, "ca.key"), caKey.ExportPkcs8PrivateKeyPem());

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leaf = new CertificateRequest("CN=bench client", key, HashAlgorithmName.SHA256);
        var aia = new X509AuthorityInformationAccessExtension([$"http://127.0.0.1:{port}/"], null);
        leaf.CertificateExtensions.Add(aia);
        certificate = leaf.Create(ca.SubjectName, X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), [0x10, 0x01]);
        File.WriteAllText(Path.Combine(folder, "index.txt"), $"V\t{DateTime.UtcNow.AddDays(10):yyMMddHHmmss}Z\t\t1001\tunknown\t/CN=bench client\n");

        request = OcspRequestBuilder.Build(certificate, ca, withNonce: false);
        File.WriteAllBytes(Path.Combine(folder, "req.der"), request.Der);
        RunOpenSsl("ocsp", "-index", "index.txt", "-rsigner", "ca.pem", "-rkey", "ca.key", "-CA", "ca.pem", "-reqin", "req.der", "-respout", "resp.der", "-ndays", "1");
        answer = File.ReadAllBytes(Path.Combine(folder, "resp.der"));

        listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                var context = await listener.GetContextAsync();
                await context.Response.OutputStream.WriteAsync(answer);
                context.Response.Close();
            }
        });

        invoker = new HttpMessageInvoker(new SocketsHttpHandler { UseProxy = false });
        var fetcher = new RevocationFetcher(invoker, new RevocationFetcherOptions(), TimeProvider.System, NullLogger.Instance);
        client = new OcspClient(fetcher, new OcspClientOptions(), new ValidationEpoch(), TimeProvider.System, NullLogger.Instance);
        var first = client.GetStatusAsync(certificate, ca, DateTimeOffset.UtcNow, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        if (first.State != MtlsGateway.Validation.Revocation.RevocationState.Good)
        {
            throw new InvalidOperationException("setup answer is not good: " + first.Detail);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        listener.Close();
        invoker.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Benchmark(Description = "OCSP status, cached answer (request path)")]
    public ValueTask<MtlsGateway.Validation.Revocation.RevocationStatus> CachedAnswer()
        => client.GetStatusAsync(certificate, ca, DateTimeOffset.UtcNow, CancellationToken.None);

    [Benchmark(Description = "OCSP answer parse + verify (RSA-2048, once per nextUpdate)")]
    public MtlsGateway.Validation.Revocation.RevocationStatus ParseAndVerify()
        => OcspResponseVerifier.Verify(OcspResponseParser.Parse(answer), request, ca, DateTimeOffset.UtcNow, verification);

    [Benchmark(Description = "OCSP request build")]
    public OcspRequest BuildRequest() => OcspRequestBuilder.Build(certificate, ca, withNonce: false);

    private void RunOpenSsl(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { WorkingDirectory = folder, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("openssl failed: " + error.Result);
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
