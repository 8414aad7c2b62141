using System.Security.Cryptography.X509Certificates;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Revocation;
using MtlsGateway.Validation.Revocation.Crl;

namespace MtlsGateway.Tests.Validation.Revocation.Crl;

/// <summary>
/// Who may sign a CRL (RFC 5280 6.3.3 f, g): the issuer, the same CA under its other key (key rollover), a separate
/// CRL signing key the CA certified; and the look-alikes that must not.
/// </summary>
public sealed class CrlSignerTests : IDisposable
{
    private readonly DateTimeOffset now = DateTimeOffset.UtcNow;
    private readonly TestCa root = TestCa.CreateRoot("CN=Signer Root");
    private readonly TestCa oldKey;
    private readonly TestCa newKey;

    public CrlSignerTests()
    {
        oldKey = root.CreateIntermediate("CN=Rollover CA");

        // Key rollover: the CA's new key, certified by its old key under the same name ("new with old", self-issued).
        newKey = oldKey.CreateIntermediate(oldKey.Name.Name);
    }

    public void Dispose()
    {
        newKey.Dispose();
        oldKey.Dispose();
        root.Dispose();
    }

    [Fact]
    public void After_a_key_rollover_a_crl_signed_with_the_new_key_covers_certificates_of_the_old_key()
    {
        // Path: leaf (old key) -> CA (old key) -> root. The CA now signs CRLs with its new key, whose certificate
        // ("new with old") the client sends along; that certificate's own status is on a CRL of the old key.
        using var leaf = oldKey.Issue("CN=old-key-client");
        var path = new CertificatePath([leaf, oldKey.Certificate, root.Certificate], [newKey.Certificate]);
        var newKeyCrl = Crl(newKey, []);

        var good = Evaluate([newKeyCrl, Crl(oldKey, []), Crl(root, [])], path);

        // The old key's (older) CRL revokes the new key and lists the leaf: the newer CRL of the revoked new key,
        // which lists nothing, must not win.
        var newKeyRevoked = Evaluate([newKeyCrl, Crl(oldKey, [Entry(newKey.Certificate), Entry(leaf)], thisUpdate: now.AddHours(-2)), Crl(root, [])], path);

        Assert.Equal(RevocationState.Good, good.State);
        Assert.Equal(RevocationState.Revoked, newKeyRevoked.State);
    }

    [Fact]
    public void After_a_key_rollover_a_crl_signed_with_the_old_key_covers_certificates_of_the_new_key()
    {
        // Path: leaf (new key) -> "new with old" -> CA (old key) -> root; the CRL is signed by the old key, a
        // certificate of the path above the one signing the leaf.
        using var leaf = newKey.Issue("CN=new-key-client");
        var path = new CertificatePath([leaf, newKey.Certificate, oldKey.Certificate, root.Certificate]);

        Assert.Equal(RevocationState.Good, Evaluate([Crl(oldKey, [])], path).State);
        Assert.Equal(RevocationState.Revoked, Evaluate([Crl(oldKey, [Entry(leaf)])], path).State);
    }

    [Fact]
    public void A_new_key_cannot_vouch_for_its_own_certificate()
    {
        // Only the new key's CRL is available: it would have to say that the new key itself is not revoked.
        using var leaf = oldKey.Issue("CN=self-vouching");
        var path = new CertificatePath([leaf, oldKey.Certificate, root.Certificate], [newKey.Certificate]);

        var status = Evaluate([Crl(newKey, []), Crl(root, [])], path);

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("would vouch for its own certificate", status.Detail);
    }

    [Fact]
    public void A_separate_crl_signing_certificate_of_the_ca_itself_need_not_be_a_ca()
    {
        // The CA certifies a CRL signing key under its own name (self-issued, cRLSign only, not a CA).
        using var signer = oldKey.Issue(oldKey.Name.Name, profile => profile.CrlSigner());
        using var leaf = oldKey.Issue("CN=separate-key-client");
        var path = new CertificatePath([leaf, oldKey.Certificate, root.Certificate], [signer]);
        var signedBySigner = Crl(oldKey, [Entry(leaf)], signer: signer);

        Assert.Equal(RevocationState.Revoked, Evaluate([signedBySigner, Crl(oldKey, [], thisUpdate: now.AddHours(-2))], path).State);
        Assert.Equal(RevocationState.Unknown, Evaluate([signedBySigner], path).State);
    }

    [Fact]
    public void A_forged_crl_from_a_signer_with_the_issuers_name_but_another_key_is_refused()
    {
        using var leaf = oldKey.Issue("CN=target");
        using var selfMade = TestCa.CreateRoot("CN=Rollover CA");
        using var sibling = root.CreateIntermediate("CN=Sibling CA");
        using var certifiedBySibling = sibling.Issue(oldKey.Name.Name, profile => profile.CrlSigner());
        var forgedBySelfMade = Crl(oldKey, [], signer: selfMade.Certificate);
        var forgedBySibling = Crl(oldKey, [], signer: certifiedBySibling);
        var genuine = Crl(oldKey, [Entry(leaf)], thisUpdate: now.AddHours(-6));
        var path = new CertificatePath([leaf, oldKey.Certificate, root.Certificate], [selfMade.Certificate, certifiedBySibling, sibling.Certificate]);

        // The forged CRLs are newer and list nothing; the genuine one lists the certificate.
        var withGenuine = Evaluate([forgedBySelfMade, forgedBySibling, genuine, Crl(root, []), Crl(sibling, [])], path);
        var forgedOnly = Evaluate([forgedBySelfMade, forgedBySibling, Crl(root, []), Crl(sibling, [])], path);

        Assert.Equal(RevocationState.Revoked, withGenuine.State);
        Assert.Equal(RevocationState.Unknown, forgedOnly.State);
        Assert.Contains("was not certified by a CA of the certificate's path", forgedOnly.Detail);
    }

    [Fact]
    public void A_signer_presented_without_crl_sign_is_not_used()
    {
        using var leaf = oldKey.Issue("CN=no-crlsign");
        using var noCrlSign = oldKey.CreateIntermediate(oldKey.Name.Name, profile => profile.KeyUsage = X509KeyUsageFlags.KeyCertSign);

        var status = Evaluate([Crl(noCrlSign, []), Crl(root, [])], new CertificatePath([leaf, oldKey.Certificate, root.Certificate], [noCrlSign.Certificate]));

        Assert.Equal(RevocationState.Unknown, status.State);
    }

    private RevocationEntry Entry(X509Certificate2 certificate) => new(certificate.SerialNumberBytes.ToArray(), now.AddHours(-3), X509RevocationReason.KeyCompromise);

    private RevocationStatus Evaluate(CertificateRevocationList[] crls, CertificatePath path) =>
        new CrlStatusEvaluator(TimeSpan.FromMinutes(5)).Evaluate("crl-file", new CrlSet(crls), path, 0, now);

    private CertificateRevocationList Crl(TestCa ca, IEnumerable<RevocationEntry> entries, DateTimeOffset? thisUpdate = null, X509Certificate2? signer = null) =>
        CertificateRevocationList.Parse(ca.CreateCrl(crl =>
        {
            crl.ThisUpdate = thisUpdate ?? now.AddHours(-1);
            crl.NextUpdate = now.AddDays(1);
            crl.Signer = signer;
            crl.Add(entries);
        }));
}
