namespace MtlsGateway.Validation.Certificates;

/// <summary>
/// A configured certificate or CRL source cannot be used. The message names the source and the problem in one line,
/// for the operator's console at start-up or for a reload error in the log; it is never sent to clients.
/// </summary>
public sealed class CertificateSourceException : Exception
{
    public CertificateSourceException(string source, string problem)
        : base($"{source}: {problem}")
    {
        Source = source;
        Problem = problem;
    }

    public CertificateSourceException(string source, string problem, Exception innerException)
        : base($"{source}: {problem}", innerException)
    {
        Source = source;
        Problem = problem;
    }

    public new string Source { get; }

    public string Problem { get; }
}
