using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Validation.Crypto;
using MtlsGateway.Validation.Signatures;

namespace MtlsGateway.Validation.Revocation.Ocsp;

/// <summary>
/// Decides what a parsed OCSP answer proves (RFC 6960 3.2, 4.2.2.2): signed by the issuer, or by a responder
/// certificate in the answer that the issuer issued and signed and that carries id-kp-OCSPSigning; the responder id
/// names the signer; the single response is about the requested certificate; thisUpdate/nextUpdate are fresh.
/// Any failed check yields Unknown with the reason; only a verified answer yields Good or Revoked.
/// </summary>
public static class OcspResponseVerifier
{
    public const string SourceName = "ocsp";

    private static readonly string[] ReasonNames =
    [
        "unspecified", "keyCompromise", "cACompromise", "affiliationChanged", "superseded",
        "cessationOfOperation", "certificateHold", "unused(7)", "removeFromCRL", "privilegeWithdrawn", "aACompromise",
    ];

    public static RevocationStatus Verify(OcspResponse response, OcspRequest request, X509Certificate2 issuer, DateTimeOffset at, OcspVerificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(options);

        if (response.Status != OcspResponseStatus.Successful)
        {
            return Unknown($"responder answered {response.Status}");
        }

        if (response.HasUnknownCriticalExtension)
        {
            return Unknown("answer carries an unknown critical extension");
        }

        if (request.Nonce is not null && response.Nonce is not null && !request.Nonce.AsSpan().SequenceEqual(response.Nonce))
        {
            return Unknown("answer's nonce does not match the request");
        }

        var signerProblem = CheckSigner(response, issuer, at, options);
        if (signerProblem is not null)
        {
            return Unknown(signerProblem);
        }

        var single = response.Responses.FirstOrDefault(candidate => candidate.CertId.Matches(request.CertId));
        if (single is null)
        {
            return Unknown("answer is not about the requested certificate (CertID mismatch)");
        }

        return Judge(single, at, options);
    }

    private static RevocationStatus Judge(OcspSingleResponse single, DateTimeOffset at, OcspVerificationOptions options)
    {
        if (single.HasUnknownCriticalExtension)
        {
            return Unknown("single response carries an unknown critical extension");
        }

        if (single.ThisUpdate > at + options.ClockSkew)
        {
            return Unknown($"answer's thisUpdate {single.ThisUpdate:o} is in the future");
        }

        var validUntil = single.NextUpdate ?? single.ThisUpdate + options.ValidityWithoutNextUpdate;
        if (validUntil + options.ClockSkew < at)
        {
            return Unknown(single.NextUpdate is null
                ? $"answer without nextUpdate is too old (thisUpdate {single.ThisUpdate:o})"
                : $"answer is stale (nextUpdate {single.NextUpdate:o})");
        }

        var cap = at + options.MaxCacheAge;
        if (validUntil > cap)
        {
            validUntil = cap;
        }

        return single.Status switch
        {
            OcspCertStatus.Good => new RevocationStatus(RevocationState.Good, SourceName, $"good (thisUpdate {single.ThisUpdate:o})", validUntil),
            OcspCertStatus.Revoked => new RevocationStatus(
                RevocationState.Revoked,
                SourceName,
                $"revoked at {single.RevocationTime:o}, reason {ReasonName(single.RevocationReason)}",
                validUntil,
                ReasonName(single.RevocationReason),
                single.RevocationTime),
            _ => Unknown("responder does not know the certificate"),
        };
    }

    /// <returns>null when a trusted signer produced the signature; otherwise why not.</returns>
    private static string? CheckSigner(OcspResponse response, X509Certificate2 issuer, DateTimeOffset at, OcspVerificationOptions options)
    {
        if (IsNamedBy(response, issuer))
        {
            if (SignatureVerification.StrengthProblem(response.SignatureAlgorithm, issuer, [], options.Minimums) is { } weak)
            {
                return "answer " + weak;
            }

            return SignatureProblem(response, issuer, options.Minimums) is { } issuerSignatureProblem
                ? "answer's signature does not verify with the issuer's key: " + issuerSignatureProblem
                : null;
        }

        var named = response.Certificates.Where(candidate => IsNamedBy(response, candidate)).ToArray();
        if (named.Length == 0)
        {
            return "answer is signed by a responder that is neither the issuer nor a certificate included in the answer";
        }

        string? problem = null;
        foreach (var responder in named)
        {
            problem = CheckDelegatedResponder(responder, issuer, at, options);
            if (problem is null)
            {
                if (SignatureVerification.StrengthProblem(response.SignatureAlgorithm, responder, [], options.Minimums) is { } weak)
                {
                    return "answer " + weak;
                }

                return SignatureProblem(response, responder, options.Minimums) is { } signatureProblem
                    ? "answer's signature does not verify with the responder certificate's key: " + signatureProblem
                    : null;
            }
        }

        return problem;
    }

    /// <summary>The same signature verification as CRLs and certificates get: RSA PKCS#1 and PSS, ECDSA, DSA.</summary>
    private static string? SignatureProblem(OcspResponse response, X509Certificate2 signer, CryptoMinimums minimums) =>
        SignatureVerification.Verify(response.SignedData, response.SignatureAlgorithm, response.Signature, signer, [], minimums);

    private static SignedObject? Signed(X509Certificate2 certificate)
    {
        try
        {
            return SignedObject.Parse(certificate.RawDataMemory);
        }
        catch (System.Formats.Asn1.AsnContentException)
        {
            return null;
        }
    }

    private static string? CheckDelegatedResponder(X509Certificate2 responder, X509Certificate2 issuer, DateTimeOffset at, OcspVerificationOptions options)
    {
        if (!responder.IssuerName.RawData.AsSpan().SequenceEqual(issuer.SubjectName.RawData) || Signed(responder) is not { } signed
            || SignatureVerification.Verify(signed.ToBeSigned.Span, signed.Algorithm, signed.Signature.Span, issuer, [], CryptoMinimums.NotApplied) is not null)
        {
            return $"responder certificate '{responder.Subject}' was not issued by the certificate's issuer";
        }

        if (SignatureVerification.StrengthProblem(signed.Algorithm, issuer, [], options.Minimums) is { } weak)
        {
            return $"responder certificate '{responder.Subject}' {weak}";
        }

        var usages = responder.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        if (usages is null || !usages.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Any(usage => usage.Value == OcspOids.OcspSigning))
        {
            return $"responder certificate '{responder.Subject}' lacks the OCSPSigning extended key usage";
        }

        if (at + options.ClockSkew < responder.NotBefore.ToUniversalTime() || at - options.ClockSkew > responder.NotAfter.ToUniversalTime())
        {
            return $"responder certificate '{responder.Subject}' is outside its validity period";
        }

        return null;
    }

    private static bool IsNamedBy(OcspResponse response, X509Certificate2 candidate)
    {
        if (response.ResponderName is not null)
        {
            return response.ResponderName.AsSpan().SequenceEqual(candidate.SubjectName.RawData);
        }

#pragma warning disable CA5350 // ResponderID byKey is defined as a SHA-1 hash (RFC 6960 4.2.1); it identifies, it does not sign.
        return response.ResponderKeyHash is not null && response.ResponderKeyHash.AsSpan().SequenceEqual(SHA1.HashData(candidate.PublicKey.EncodedKeyValue.RawData));
#pragma warning restore CA5350
    }

    private static string ReasonName(int? reason)
        => reason is int code && code >= 0 && code < ReasonNames.Length ? ReasonNames[code] : reason?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unspecified";

    private static RevocationStatus Unknown(string detail) => RevocationStatus.Unknown(SourceName, detail);
}
