using MtlsGateway.ClientCertificates;

namespace MtlsGateway.Tests.Gateway.ClientCertificates;

public sealed class ClientFacingDetailTests
{
    [Theory]
    [InlineData(
        "revocation status of 'CN=alice' cannot be established: ocsp: http://127.0.0.1:18902/ could not be fetched: Connection refused (127.0.0.1:18902)",
        "revocation status of 'CN=alice' cannot be established: ocsp: [withheld] could not be fetched: Connection refused ([withheld])")]
    [InlineData(
        "crl-fetch: http://crl.bank.internal/root.crl could not be fetched: Name or service not known (crl.bank.internal:80)",
        "crl-fetch: [withheld] could not be fetched: Name or service not known ([withheld])")]
    [InlineData("responder at ocsp-responder:8080 refused", "responder at [withheld] refused")]
    [InlineData("Connection refused ([::1]:8443); also [fd00::12:34]:80 and 2001:db8:0:0:0:0:2:1", "Connection refused ([withheld]); also [withheld] and [withheld]")]
    [InlineData("Connection refused (::ffff:10.1.2.3:80)", "Connection refused ([withheld])")]
    [InlineData("ldap://dir.corp/cn=CA,o=Bank?certificateRevocationList: unsupported scheme", "[withheld]: unsupported scheme")]
    [InlineData("CRL file /etc/mtlsgateway/crl/root.crl is expired", "CRL file [withheld] is expired")]
    [InlineData("file:///etc/pki/x.pem", "[withheld]")]
    public void Addresses_host_names_with_ports_and_paths_are_withheld(string detail, string expected) =>
        Assert.Equal(expected, ClientFacingDetail.Of(detail));

    [Theory]
    [InlineData("'CN=alice, O=Bank/Payments' is valid from 2026-12-31T16:35:56.0000000+00:00")]
    [InlineData("'CN=alice' expired at 2026-12-31T16:35:56.0000000+00:00")]
    [InlineData("no trusted issuer found for 'CN=client.example.com': its issuer 'CN=Issuing' is neither a trust anchor nor a known intermediate CA")]
    [InlineData("extension 2.5.29.17 (subjectAltName) appears more than once; sha256 39B2F65A6BBBD68D9A7653005050B0818CF25E77F4839961CA89D335A426834D")]
    [InlineData("the chain uses SHA-1 signatures, HTTP/1.1 and TLS 1.2")]
    public void What_the_client_needs_to_act_on_stays(string detail) =>
        Assert.Equal(detail, ClientFacingDetail.Of(detail));

    [Fact]
    public void Extension_OIDs_stay_in_a_detail_a_private_address_does_not()
    {
        Assert.Equal("extension 2.5.29.17 and 1.3.6.1 next to [withheld] and [withheld]", ClientFacingDetail.Of("extension 2.5.29.17 and 1.3.6.1 next to 10.0.0.5 and 192.168.1.1"));
    }
}
