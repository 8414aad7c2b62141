namespace MtlsGateway.TestSupport.Http;

/// <summary>
/// What <see cref="CurlClient"/> got: the status (0 when no response came, e.g. a reset HTTP/2 stream), the HTTP
/// version curl reports, the body, the response header block, curl's <c>-v</c> trace and its exit code.
/// </summary>
public sealed record CurlResponse(int Status, string HttpVersion, string Body, string Headers, string Trace, int ExitCode)
{
    public override string ToString() => $"{Status} (HTTP/{HttpVersion}, curl exit {ExitCode}): {Body}";
}
