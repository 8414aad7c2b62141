using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using MtlsGateway.TestSupport.Loopback;
using MtlsGateway.TestSupport.OpenSsl;
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
    private readonly OcspVerificationOptions verification = new();
    private OcspPki pki = null!;
    private TestUpstream responder = null!;
    private HttpMessageInvoker invoker = null!;
    private OcspClient client = null!;
    private X509Certificate2 ca = null!;
    private X509Certificate2 certificate = null!;
    private OcspRequest request = null!;
    private byte[] answer = [];

    [GlobalSetup]
    public void Setup()
    {
        pki = new OcspPki();
        ca = pki.Ca;
        responder = TestUpstream.Serving(() => answer);
        certificate = pki.IssueClient(OcspPki.GoodSerial, [responder.Address.AbsoluteUri], []);
        request = OcspRequestBuilder.Build(certificate, ca, withNonce: false);
        answer = pki.AnswerOffline(request.Der, "-ndays", "1");

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
        responder.Dispose();
        invoker.Dispose();
        certificate.Dispose();
        pki.Dispose();
    }

    [Benchmark(Description = "OCSP status, cached answer (request path)")]
    public ValueTask<MtlsGateway.Validation.Revocation.RevocationStatus> CachedAnswer()
        => client.GetStatusAsync(certificate, ca, DateTimeOffset.UtcNow, CancellationToken.None);

    [Benchmark(Description = "OCSP answer parse + verify (RSA-2048, once per nextUpdate)")]
    public MtlsGateway.Validation.Revocation.RevocationStatus ParseAndVerify()
        => OcspResponseVerifier.Verify(OcspResponseParser.Parse(answer), request, ca, DateTimeOffset.UtcNow, verification);

    [Benchmark(Description = "OCSP request build")]
    public OcspRequest BuildRequest() => OcspRequestBuilder.Build(certificate, ca, withNonce: false);
}
