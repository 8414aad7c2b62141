using MtlsGateway.TestSupport.Http;
using MtlsGateway.TestSupport.Processes;

namespace MtlsGateway.TestSupport.OpenSsl;

/// <summary>
/// HTTP/1.1 written byte for byte over <c>openssl s_client</c>: for requests no HTTP client would send (folded or
/// malformed header lines, odd request targets). s_client keeps reading after its input ends and exits when the
/// server closes the connection.
/// </summary>
public static class OpenSslHttpClient
{
    /// <summary>
    /// Sends <paramref name="request"/> (lines ending in CRLF, the request complete) and returns everything the server
    /// wrote until it closed the connection; throws <see cref="TimeoutException"/> if it had not closed it within
    /// <paramref name="timeout"/> (30 s by default).
    /// </summary>
    public static async Task<string> ExchangeAsync(ClientCertificateFiles client, Uri server, string request, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(server);
        var result = await ProcessRunner.RunAsync(
            "openssl",
            [
                "s_client", "-quiet", "-connect", $"{server.Host}:{server.Port}", "-servername", "localhost",
                "-CAfile", client.CaFile, "-verify_return_error", "-cert", client.CertificateFile, "-key", client.KeyFile,
                "-alpn", "http/1.1",
            ],
            new ProcessOptions { StandardInput = request, Timeout = timeout ?? TimeSpan.FromSeconds(30) });
        return result.StandardOutput;
    }
}
