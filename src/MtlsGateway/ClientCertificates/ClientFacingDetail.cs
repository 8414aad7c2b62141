using System.Text.RegularExpressions;

namespace MtlsGateway.ClientCertificates;

/// <summary>
/// The refusal detail as a client may read it. Details name what the gateway tried (a responder's URL, the address a
/// connection was refused at, a file), which tells an outsider how the inside is laid out: those parts are withheld
/// from the client, the log line of the same refusal (found by its traceId) keeps them all.
/// </summary>
internal static partial class ClientFacingDetail
{
    public const string Withheld = "[withheld]";

    public static string Of(string detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        var redacted = Url().Replace(detail, Withheld);
        redacted = IpV6().Replace(redacted, Withheld);
        redacted = IpV4().Replace(redacted, Withheld);
        redacted = HostAndPort().Replace(redacted, Withheld);
        return FilePath().Replace(redacted, Withheld);
    }

    /// <summary>Any scheme: http and ldap distribution points, file: URLs.</summary>
    [GeneratedRegex(@"\b[A-Za-z][A-Za-z0-9+.\-]*://(?:[^\s'""()<>;]*[^\s'""()<>;:,.])?", RegexOptions.CultureInvariant)]
    private static partial Regex Url();

    /// <summary>Three or more colons, or "::": never a time of day (16:35:56); with an embedded IPv4 address, brackets and a port if any.</summary>
    [GeneratedRegex(@"\[?(?<![0-9A-Za-z:.])(?=[0-9A-Fa-f:]*::|(?:[0-9A-Fa-f]{1,4}:){3})(?:[0-9A-Fa-f]{0,4}:){2,7}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{0,4})\]?(?::\d{1,5})?(?![0-9A-Za-z:.])", RegexOptions.CultureInvariant)]
    private static partial Regex IpV6();

    /// <summary>
    /// With a port, any; without one, not one that starts with 0, 1 or 2: that is how an OID of four arcs looks
    /// (2.5.29.17), and no private, loopback or link-local address starts so.
    /// </summary>
    [GeneratedRegex(@"(?<![\w.])(?:\d{1,3}(?:\.\d{1,3}){3}:\d{1,5}|(?![012]\.)\d{1,3}(?:\.\d{1,3}){3})(?![\w.:])", RegexOptions.CultureInvariant)]
    private static partial Regex IpV4();

    /// <summary>A host name with a port, as socket errors give it ("Name or service not known (ocsp.corp:80)").</summary>
    [GeneratedRegex(@"(?<![\w.\-])[A-Za-z][A-Za-z0-9\-]*(?:\.[A-Za-z0-9\-]+)*:\d{1,5}(?![\w.])", RegexOptions.CultureInvariant)]
    private static partial Regex HostAndPort();

    /// <summary>An absolute path: a slash that follows no name character ("O=A/B" stays).</summary>
    [GeneratedRegex(@"(?<![\w.:/~\-])/[^\s'""()<>;,]+", RegexOptions.CultureInvariant)]
    private static partial Regex FilePath();
}
