using System.Formats.Asn1;
using MtlsGateway.TestSupport.OpenSsl;
using MtlsGateway.Tests.Validation.Revocation.Fetching;
using MtlsGateway.Validation.Revocation;
using MtlsGateway.Validation.Revocation.Fetching;
using MtlsGateway.Validation.Revocation.Ocsp;

namespace MtlsGateway.Tests.Validation.Revocation.Ocsp;

/// <summary>The hand-written OCSP encoding and decoding, checked against openssl's own understanding of it.</summary>
public sealed class OcspMessageTests : IClassFixture<OcspPki>
{
    private readonly OcspPki pki;

    public OcspMessageTests(OcspPki pki) => this.pki = pki;

    [Fact]
    public async Task RequestWithNonce_IsUnderstoodByOpenSsl_AndItsNonceComesBack()
    {
        using var responder = await OpenSslOcspResponder.StartAsync(pki, "responder", 1, "-nmin", "5");
        var certificate = pki.IssueClient(OcspPki.RevokedSerial, [responder.Url], []);
        var request = OcspRequestBuilder.Build(certificate, pki.Ca, withNonce: true);
        using var setup = new FetchingSetup();

        var fetched = await setup.Fetcher.PostAsync(new Uri(responder.Url), RevocationFetchKind.Ocsp, request.Der, OcspClient.RequestContentType, CancellationToken.None);
        var response = OcspResponseParser.Parse(fetched.Body);

        Assert.Equal(OcspResponseStatus.Successful, response.Status);
        Assert.Equal(request.Nonce, response.Nonce);
        var single = Assert.Single(response.Responses);
        Assert.True(single.CertId.Matches(request.CertId));
        Assert.Equal(OcspCertStatus.Revoked, single.Status);
        Assert.Equal(1, single.RevocationReason);
        Assert.NotNull(single.NextUpdate);
        Assert.Equal("CN=OCSP Responder responder", Assert.Single(response.Certificates).Subject);
    }

    [Fact]
    public void RequestEncoding_IsReadBackByOpenSsl()
    {
        var certificate = pki.IssueClient(OcspPki.GoodSerial, [], []);
        var request = OcspRequestBuilder.Build(certificate, pki.Ca, withNonce: false);

        // openssl answers the request file offline; a request it could not decode would fail here.
        var response = OcspResponseParser.Parse(pki.AnswerOffline(request.Der));
        var status = OcspResponseVerifier.Verify(response, request, pki.Ca, DateTimeOffset.UtcNow, new OcspVerificationOptions());

        Assert.Equal(RevocationState.Good, status.State);
        Assert.Equal(certificate.SerialNumberBytes.ToArray(), request.CertId.SerialNumber);
    }

    [Fact]
    public void TamperedAnswer_FailsSignatureCheck()
    {
        var certificate = pki.IssueClient(OcspPki.GoodSerial, [], []);
        var request = OcspRequestBuilder.Build(certificate, pki.Ca, withNonce: false);
        var der = pki.AnswerOffline(request.Der);
        var genuine = OcspResponseParser.Parse(der);

        // Flip one bit inside the signed thisUpdate (its last digit before 'Z'): still well-formed, no longer what the CA signed.
        var signed = genuine.SignedData;
        var at = der.AsSpan().IndexOf(signed) + signed.Length - 1;
        while (der[at] != (byte)'Z')
        {
            at--;
        }

        der[at - 1] ^= 0x01;
        var status = OcspResponseVerifier.Verify(OcspResponseParser.Parse(der), request, pki.Ca, DateTimeOffset.UtcNow, new OcspVerificationOptions());

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("signature does not verify", status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void DistributionPointNamedRelativeToTheCrlIssuer_IsReportedUnsupported()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            using (writer.PushSetOf(new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true)))
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("2.5.4.3");
                writer.WriteCharacterString(UniversalTagNumber.UTF8String, "CRL1");
            }

            using (writer.PushSequence())
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            {
                writer.WriteCharacterString(UniversalTagNumber.IA5String, "http://crl.example/ca.crl", new Asn1Tag(TagClass.ContextSpecific, 6));
            }
        }

        var endpoints = CrlDistributionPoints.Parse(writer.Encode());

        Assert.Equal(new Uri("http://crl.example/ca.crl"), Assert.Single(endpoints.Supported));
        Assert.Equal("name relative to the CRL issuer", Assert.Single(endpoints.Unsupported));
    }
}
