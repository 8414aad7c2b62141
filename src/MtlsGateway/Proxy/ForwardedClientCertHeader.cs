using System.Security.Cryptography;
using System.Text;
using MtlsGateway.Validation.Identity;

namespace MtlsGateway.Proxy;

/// <summary>
/// Envoy's X-Forwarded-Client-Cert element: <c>By=...;Hash=...;Subject="...";URI=...;DNS=...</c>. Values holding a
/// comma, semicolon, equals sign or quote are quoted, and quotes and backslashes inside are escaped with a backslash;
/// Subject is always quoted, as Envoy does.
/// </summary>
public static class ForwardedClientCertHeader
{
    public static string Format(CertificateIdentity identity, string? by)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var parts = new List<string>();
        if (by is not null)
        {
            parts.Add("By=" + Value(by, alwaysQuote: false));
        }

        parts.Add("Hash=" + Convert.ToHexStringLower(SHA256.HashData(identity.Certificate.RawData)));
        parts.Add("Subject=" + Value(identity.Subject, alwaysQuote: true));
        parts.AddRange(identity.AlternativeNames.Uris.Select(uri => "URI=" + Value(uri, alwaysQuote: false)));
        parts.AddRange(identity.AlternativeNames.DnsNames.Select(dns => "DNS=" + Value(dns, alwaysQuote: false)));
        return string.Join(';', parts);
    }

    private static string Value(string value, bool alwaysQuote)
    {
        if (!alwaysQuote && value.IndexOfAny([',', ';', '=', '"', '\\']) < 0)
        {
            return value;
        }

        var escaped = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.Append('"').ToString();
    }
}
