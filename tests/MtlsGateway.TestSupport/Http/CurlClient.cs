using System.Globalization;
using MtlsGateway.TestSupport.Processes;

namespace MtlsGateway.TestSupport.Http;

/// <summary>
/// curl as an independent client of a mutual-TLS server: it presents a client certificate, trusts one CA, and sends
/// the request target exactly as given (<c>--request-target</c>: no dot-segment removal, no re-encoding; over HTTP/2
/// it is the <c>:path</c> pseudo-header), over HTTP/1.1 or HTTP/2.
/// </summary>
public static class CurlClient
{
    /// <summary>Sends one request to <paramref name="server"/> with <paramref name="requestTarget"/> as the raw target.</summary>
    /// <param name="headers">Header lines as curl's <c>-H</c> takes them (<c>Name: value</c>), sent in this order.</param>
    public static async Task<CurlResponse> SendAsync(
        ClientCertificateFiles client, Uri server, string requestTarget, HttpVersionChoice version, IEnumerable<string>? headers = null, string method = "GET")
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(server);
        var bodyFile = client.NewFile(".body");
        var headersFile = client.NewFile(".headers");
        List<string> arguments =
        [
            "-sS", "-v", "--max-time", "30",
            version == HttpVersionChoice.Http2 ? "--http2" : "--http1.1",
            "--cacert", client.CaFile, "--cert", client.CertificateFile, "--key", client.KeyFile,
            "-X", method, "--request-target", requestTarget,
            "-o", bodyFile, "-D", headersFile, "-w", "%{http_code} %{http_version}",
        ];
        foreach (var header in headers ?? [])
        {
            arguments.AddRange(["-H", header]);
        }

        arguments.Add(new Uri(server, "/").ToString());
        var result = await ProcessRunner.RunAsync("curl", arguments);
        var written = result.StandardOutput.Split(' ');
        return new CurlResponse(
            int.Parse(written[0], CultureInfo.InvariantCulture),
            written.Length > 1 ? written[1] : string.Empty,
            File.Exists(bodyFile) ? await File.ReadAllTextAsync(bodyFile) : string.Empty,
            File.Exists(headersFile) ? await File.ReadAllTextAsync(headersFile) : string.Empty,
            result.StandardError,
            result.ExitCode);
    }
}
