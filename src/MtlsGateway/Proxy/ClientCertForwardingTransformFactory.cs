using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using MtlsGateway.ClientCertificates;
using MtlsGateway.Validation.Identity;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace MtlsGateway.Proxy;

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
