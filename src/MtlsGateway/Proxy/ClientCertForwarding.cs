using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using MtlsGateway.ClientCertificates;
using MtlsGateway.Validation.Identity;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace MtlsGateway.Proxy;

/// <summary>How a route forwards the client's identity upstream: <c>{ "ForwardClientCert": "Xfcc" | "Rfc9440" | "None" }</c>.</summary>
public enum ClientCertFormat
{
    None,

    /// <summary>Envoy's X-Forwarded-Client-Cert.</summary>
    Xfcc,

    /// <summary>RFC 9440 Client-Cert and Client-Cert-Chain.</summary>
    Rfc9440,
}

/// <summary>The YARP transform for the <c>ForwardClientCert</c> route setting.</summary>
internal sealed class ClientCertForwardingTransformFactory : ITransformFactory
{
    public const string Key = "ForwardClientCert";

    private readonly ConcurrentDictionary<X509Certificate, string?> gatewayUris = new();

    public static ClientCertFormat Parse(string value) =>
        Enum.TryParse<ClientCertFormat>(value, ignoreCase: true, out var format) && Enum.IsDefined(format)
            ? format
            : throw new ArgumentException($"{Key}: '{value}' is not one of {string.Join(", ", Enum.GetNames<ClientCertFormat>())}");

    public bool Validate(TransformRouteValidationContext context, IReadOnlyDictionary<string, string> transformValues)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(transformValues);
        if (!transformValues.TryGetValue(Key, out var value))
        {
            return false;
        }

        try
        {
            Parse(value);
        }
        catch (ArgumentException e)
        {
            context.Errors.Add(e);
        }

        return true;
    }

    public bool Build(TransformBuilderContext context, IReadOnlyDictionary<string, string> transformValues)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(transformValues);
        if (!transformValues.TryGetValue(Key, out var value))
        {
            return false;
        }

        switch (Parse(value))
        {
            case ClientCertFormat.Xfcc:
                context.AddRequestTransform(transform =>
                {
                    if (transform.HttpContext.Features.Get<IClientCertificateVerdictFeature>() is { } feature)
                    {
                        var by = GatewayUri(transform.HttpContext);
                        transform.ProxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-Client-Cert", ForwardedClientCertHeader.Format(feature.Identity, by));
                    }

                    return ValueTask.CompletedTask;
                });
                break;
            case ClientCertFormat.Rfc9440:
                context.AddRequestTransform(transform =>
                {
                    if (transform.HttpContext.Features.Get<IClientCertificateVerdictFeature>() is { } feature)
                    {
                        transform.ProxyRequest.Headers.TryAddWithoutValidation("Client-Cert", Rfc9440Headers.ByteSequence(feature.Identity.Certificate));
                        if (feature.PresentedIntermediates.Count > 0)
                        {
                            transform.ProxyRequest.Headers.TryAddWithoutValidation("Client-Cert-Chain", string.Join(", ", feature.PresentedIntermediates.Select(Rfc9440Headers.ByteSequence)));
                        }
                    }

                    return ValueTask.CompletedTask;
                });
                break;
            case ClientCertFormat.None:
            default:
                break;
        }

        return true;
    }

    /// <summary>The first URI SAN of the certificate this connection's gateway endpoint presented, if any (XFCC's By).</summary>
    private string? GatewayUri(HttpContext context)
    {
        var local = context.Features.Get<ISslStreamFeature>()?.SslStream.LocalCertificate;
        return local is null
            ? null
            : gatewayUris.GetOrAdd(local, certificate => SubjectAlternativeNames.Of(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData())).Uris is [var first, ..] ? first : null);
    }
}

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

/// <summary>RFC 9440: a certificate as a Structured Field byte sequence, <c>:base64(DER):</c>.</summary>
public static class Rfc9440Headers
{
    public static string ByteSequence(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return ":" + Convert.ToBase64String(certificate.RawData) + ":";
    }
}
