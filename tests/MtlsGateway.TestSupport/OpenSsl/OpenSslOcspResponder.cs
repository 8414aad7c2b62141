using System.Globalization;
using System.Text.RegularExpressions;
using MtlsGateway.TestSupport.Processes;

namespace MtlsGateway.TestSupport.OpenSsl;

/// <summary>
/// A real `openssl ocsp` responder on a port chosen by the system (port 0; the port is read from its ACCEPT line).
/// Always killed on Dispose.
/// </summary>
public sealed partial class OpenSslOcspResponder : IDisposable, IAsyncDisposable
{
    private readonly RunningProcess process;

    private OpenSslOcspResponder(RunningProcess process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/";

    /// <param name="signer">File stem in the PKI folder of the signing certificate and key ("ca", "responder", "noeku", "rogue").</param>
    /// <param name="requests">The responder exits after this many requests (-nrequest), so extra network fetches fail visibly.</param>
    public static Task<OpenSslOcspResponder> StartAsync(OcspPki pki, string signer, int requests, params string[] extra)
        => StartAsync(pki, signer, requests, port: 0, index: "index.txt", extra);

    public static async Task<OpenSslOcspResponder> StartAsync(OcspPki pki, string signer, int requests, int port, string index, params string[] extra)
    {
        ArgumentNullException.ThrowIfNull(pki);
        string[] arguments =
        [
            "ocsp", "-index", index, "-port", port.ToString(CultureInfo.InvariantCulture), "-rsigner", signer + ".pem", "-rkey", signer + ".key",
            "-CA", "ca.pem", "-nrequest", requests.ToString(CultureInfo.InvariantCulture), .. extra,
        ];
        var process = RunningProcess.Start("openssl", arguments, new ProcessOptions { WorkingDirectory = pki.Folder });
        try
        {
            var accepted = await process.WaitForLineAsync(line => AcceptLine().IsMatch(line), TimeSpan.FromSeconds(30));
            return new OpenSslOcspResponder(process, int.Parse(AcceptLine().Match(accepted).Groups[1].Value, CultureInfo.InvariantCulture));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until the responder has answered its requests and exited.</summary>
    public Task WaitForExitAsync() => process.WaitForExitAsync(TimeSpan.FromSeconds(30));

    public ValueTask DisposeAsync() => process.DisposeAsync();

    public void Dispose() => Task.Run(() => DisposeAsync().AsTask()).GetAwaiter().GetResult();

    [GeneratedRegex(@"ACCEPT .*:(\d+)")]
    private static partial Regex AcceptLine();
}
