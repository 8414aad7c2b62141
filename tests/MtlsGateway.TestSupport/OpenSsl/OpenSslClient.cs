using MtlsGateway.TestSupport.Processes;

namespace MtlsGateway.TestSupport.OpenSsl;

/// <summary>
/// <c>openssl s_client</c> as an independent HTTP/1.x client: one request over one TLS connection, with the client
/// certificate, chain, protocol and session options the test gives. It waits for the server to close the connection
/// (<c>-ign_eof</c>), so the request should ask for that (<c>Connection: close</c>).
/// </summary>
public static class OpenSslClient
{
    /// <summary>A GET request that asks the server to close the connection after answering.</summary>
    public static string Get(string path = "/", string version = "HTTP/1.1", string connection = "close") =>
        $"GET {path} {version}\r\nHost: localhost\r\nConnection: {connection}\r\n\r\n";

    /// <summary>Runs s_client against 127.0.0.1:<paramref name="port"/>, sends <paramref name="request"/>, and returns all it printed.</summary>
    public static Task<ProcessResult> RequestAsync(int port, IEnumerable<string> options, string? request = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        string[] arguments = ["s_client", "-connect", $"127.0.0.1:{port}", "-servername", "localhost", "-ign_eof", .. options];
        return OpenSsl.RunAsync(arguments, standardInput: request ?? Get());
    }

    /// <summary>The HTTP status of the response s_client printed, or null when there was none.</summary>
    public static int? StatusOf(ProcessResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        // Not anchored to a line: s_client may print the response right after a session ticket's dump, on its line.
        var match = System.Text.RegularExpressions.Regex.Match(result.StandardOutput, @"HTTP/1\.[01] (\d{3}) ");
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    /// <summary>Whether s_client resumed the session it was given (<c>-sess_in</c>).</summary>
    public static bool Resumed(ProcessResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.StandardOutput.Contains("\nReused, ", StringComparison.Ordinal);
    }
}
