using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace MtlsGateway.Tests.Revocation.Ocsp;

/// <summary>
/// A real `openssl ocsp` responder on a port chosen by the system (port 0; the port is read from its ACCEPT line).
/// Always killed on Dispose.
/// </summary>
internal sealed partial class OpenSslOcspResponder : IDisposable
{
    private readonly Process process;

    private OpenSslOcspResponder(Process process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/";

    /// <param name="signer">File stem in the PKI folder of the signing certificate and key ("ca", "responder", "noeku", "rogue").</param>
    /// <param name="requests">The responder exits after this many requests (-nrequest), so extra network fetches fail visibly.</param>
    public static Task<OpenSslOcspResponder> StartAsync(OpenSslPki pki, string signer, int requests, params string[] extra)
        => StartAsync(pki, signer, requests, port: 0, index: "index.txt", extra);

    public static async Task<OpenSslOcspResponder> StartAsync(OpenSslPki pki, string signer, int requests, int port, string index, params string[] extra)
    {
        var start = new ProcessStartInfo("openssl")
        {
            WorkingDirectory = pki.Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "ocsp", "-index", index, "-port", port.ToString(CultureInfo.InvariantCulture), "-rsigner", signer + ".pem", "-rkey", signer + ".key", "-CA", "ca.pem", "-nrequest", requests.ToString(CultureInfo.InvariantCulture) }.Concat(extra))
        {
            start.ArgumentList.Add(argument);
        }

        var accepted = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        DataReceivedEventHandler onLine = (_, line) =>
        {
            var match = line.Data is null ? null : AcceptLine().Match(line.Data);
            if (match is { Success: true })
            {
                accepted.TrySetResult(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
            }
        };
        process.ErrorDataReceived += onLine;
        process.OutputDataReceived += onLine;
        process.Exited += (_, _) => accepted.TrySetException(new InvalidOperationException("openssl ocsp exited before accepting connections"));
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            return new OpenSslOcspResponder(process, await accepted.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        }
        catch
        {
            new OpenSslOcspResponder(process, port).Dispose();
            throw;
        }
    }

    public Task WaitForExitAsync() => process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }

        process.Dispose();
    }

    [GeneratedRegex(@"ACCEPT .*:(\d+)")]
    private static partial Regex AcceptLine();
}
