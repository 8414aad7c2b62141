namespace MtlsGateway.Validation.Revocation.Fetching;

/// <summary>
/// Which URLs from a certificate the gateway will fetch: plain http only. OCSP and CRLs are signed data, and https
/// to a CA's own responder would need revocation checking of its own; ldap, file and the rest are not spoken.
/// </summary>
public static class RevocationUrl
{
    public static bool TryParse(string text, out Uri url)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var parsed) && IsSupported(parsed))
        {
            url = parsed;
            return true;
        }

        url = null!;
        return false;
    }

    public static bool IsSupported(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.IsAbsoluteUri && url.Scheme == Uri.UriSchemeHttp && !string.IsNullOrEmpty(url.Host);
    }
}
