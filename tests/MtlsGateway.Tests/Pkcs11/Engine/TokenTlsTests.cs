using System.Net.Security;
using System.Runtime.Versioning;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MtlsGateway.Pkcs11.Engine;
using MtlsGateway.Pkcs11.Identity;
using MtlsGateway.Pkcs11.Tokens;
using MtlsGateway.TestSupport.Loopback;
using MtlsGateway.TestSupport.SoftHsm2;

namespace MtlsGateway.Tests.Pkcs11.Engine;

/// <summary>Real TLS handshakes whose client signature is made on the SoftHSM2 token through the OpenSSL engine.</summary>
[Collection(SoftHsmGroup.Name)]
[SupportedOSPlatform("linux")]
public sealed class TokenTlsTests(SoftHsm hsm)
{
    private static Pkcs11IdentityOptions TlsIdentity => new("upstream-a", SoftHsm.ModulePath, SoftHsm.TlsToken, null, SoftHsm.TlsKeyLabel, null);

    [Fact]
    public async Task Server_requiring_a_client_certificate_sees_the_token_certificate_subject()
    {
        using var identity = new Pkcs11IdentityLoader(TimeProvider.System).Load(TlsIdentity, SoftHsm.PinBytes);
        await using var server = await TestUpstream.StartAsync(options => options.MutualTlsWithOwnCertificate(hsm.Ca.Certificate).AnsweringClientSubject());

        var subject = await GetSubjectOverSslStreamAsync(server, identity.Certificate);

        Assert.Equal(SoftHsm.TlsSubject, subject);
    }

    [Fact]
    public async Task Rsa_token_key_signs_the_handshake_too()
    {
        var options = new Pkcs11IdentityOptions("upstream-rsa", SoftHsm.ModulePath, SoftHsm.TlsToken, null, null, "02");
        using var identity = new Pkcs11IdentityLoader(TimeProvider.System).Load(options, SoftHsm.PinBytes);
        await using var server = await TestUpstream.StartAsync(options => options.MutualTlsWithOwnCertificate(hsm.Ca.Certificate).AnsweringClientSubject());

        var subject = await GetSubjectOverSslStreamAsync(server, identity.Certificate);

        Assert.Equal("RSA", identity.Description.KeyType);
        Assert.Equal(SoftHsm.RsaSubject, subject);
    }

    [Fact]
    public async Task HttpClient_with_the_token_identity_in_SslOptions_is_accepted()
    {
        using var identity = new Pkcs11IdentityLoader(TimeProvider.System).Load(TlsIdentity, SoftHsm.PinBytes);
        await using var server = await TestUpstream.StartAsync(options => options.MutualTlsWithOwnCertificate(hsm.Ca.Certificate).AnsweringClientSubject());
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.ClientCertificates = [identity.Certificate];
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => server.IsServer(certificate);
        using var client = new HttpClient(handler);

        var body = await client.GetStringAsync(new Uri($"https://localhost:{server.Port}/"));

        Assert.Equal(SoftHsm.TlsSubject, body);
    }

    [Fact]
    public async Task HttpClient_with_a_selection_callback_uses_the_current_token_identity()
    {
        using var identity = new Pkcs11IdentityLoader(TimeProvider.System).Load(TlsIdentity, SoftHsm.PinBytes);
        await using var server = await TestUpstream.StartAsync(options => options.MutualTlsWithOwnCertificate(hsm.Ca.Certificate).AnsweringClientSubject());
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => identity.Certificate;
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => server.IsServer(certificate);
        using var client = new HttpClient(handler);

        var body = await client.GetStringAsync(new Uri($"https://localhost:{server.Port}/"));

        Assert.Equal(SoftHsm.TlsSubject, body);
    }

    [Fact]
    public async Task Eight_parallel_handshakes_share_one_engine_key()
    {
        using var identity = new Pkcs11IdentityLoader(TimeProvider.System).Load(TlsIdentity, SoftHsm.PinBytes);
        await using var server = await TestUpstream.StartAsync(options => options.MutualTlsWithOwnCertificate(hsm.Ca.Certificate).AnsweringClientSubject());

        var subjects = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => GetSubjectOverSslStreamAsync(server, identity.Certificate))));

        Assert.All(subjects, subject => Assert.Equal(SoftHsm.TlsSubject, subject));
        Assert.Equal(8, server.ClientSubjects.Count(s => s == SoftHsm.TlsSubject));
    }

    [Fact]
    public void Engine_wrong_pin_fails_without_the_pin_in_the_message_or_on_stderr_and_the_right_one_works_after()
    {
        const string wrongPin = "27182-engine-wrong";
        var engine = Pkcs11Engine.Open(SoftHsm.ModulePath);
        var token = TokenFinder.Find(hsm.Module, TokenSelector.ByLabel(SoftHsm.EngineToken));
        var uri = EngineKeyUri.ForPrivateKey(token, [0x01]);

        EngineKeyException error;
        string stderr;
        using (var capture = new NativeStderrCapture(System.IO.Path.Combine(hsm.TempDirectory, "engine-stderr.txt")))
        {
            engine.SetPin(Encoding.UTF8.GetBytes(wrongPin));
            error = Assert.Throws<EngineKeyException>(() => engine.LoadPrivateKey(uri));
            stderr = capture.Text();
        }

        Assert.Contains("Login failed", stderr, StringComparison.Ordinal); // libp11 did write its detail there
        Assert.Contains("could not load pkcs11:serial=", error.Message, StringComparison.Ordinal);
        Assert.Contains(";token=gw-engine;type=private;id=%01", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongPin, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(wrongPin, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("pin-value", uri, StringComparison.Ordinal);

        engine.SetPin(SoftHsm.PinBytes); // the right PIN afterwards: the engine recovers, nothing is stuck
        using var key = engine.LoadPrivateKey(uri);
        Assert.False(key.IsInvalid);
    }

    internal static async Task<string> GetSubjectOverSslStreamAsync(TestUpstream server, X509Certificate2 clientCertificate)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, server.Port);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ClientCertificates = [clientCertificate],
            RemoteCertificateValidationCallback = (_, certificate, _, _) => server.IsServer(certificate),
        });
        await tls.WriteAsync("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"u8.ToArray());
        using var reader = new StreamReader(tls);
        var response = await reader.ReadToEndAsync();
        Assert.StartsWith("HTTP/1.1 200 OK", response, StringComparison.Ordinal);
        return response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
    }
}
