using System.Security.Cryptography.X509Certificates;
using MtlsGateway.ClientCertificates;
using MtlsGateway.TestSupport.Pki;

namespace MtlsGateway.Tests.Gateway.ClientCertificates;

/// <summary>
/// The copies of the certificates clients send with theirs: one per distinct encoding, shared between connections,
/// valid after SslStream disposed the original, never handed out for bytes that differ, and bounded.
/// </summary>
public sealed class PresentedCertificatesTests : IDisposable
{
    private readonly TestCa root = TestCa.CreateRoot("CN=Presented Root");

    public void Dispose() => root.Dispose();

    [Fact]
    public void The_same_bytes_sent_twice_share_one_copy_that_outlives_the_originals()
    {
        var presented = new PresentedCertificates();
        using var intermediate = root.Issue("CN=Shared Intermediate", profile => profile.IsCa = true);
        var first = X509CertificateLoader.LoadCertificate(intermediate.RawData);
        var second = X509CertificateLoader.LoadCertificate(intermediate.RawData);

        var copy = presented.CopyOf(first);
        first.Dispose();
        Assert.Same(copy, presented.CopyOf(second));
        second.Dispose();

        Assert.Equal(intermediate.RawData, copy.RawData);
        Assert.Equal(intermediate.Subject, copy.Subject);
        Assert.Equal(1, presented.Count);
    }

    [Fact]
    public void A_look_alike_with_the_same_name_or_one_byte_changed_gets_its_own_copy()
    {
        var presented = new PresentedCertificates();
        using var genuine = root.Issue("CN=Look Alike", profile => profile.IsCa = true);
        using var sameName = root.Issue("CN=Look Alike", profile => profile.IsCa = true);
        var flipped = genuine.RawData;
        flipped[^1] ^= 0x01;
        using var oneByteChanged = X509CertificateLoader.LoadCertificate(flipped);

        var copies = new[] { genuine, sameName, oneByteChanged }.Select(presented.CopyOf).ToList();

        Assert.Equal(3, copies.Distinct(ReferenceEqualityComparer.Instance).Count());
        Assert.Equal(genuine.RawData, copies[0].RawData);
        Assert.Equal(sameName.RawData, copies[1].RawData);
        Assert.Equal(flipped, copies[2].RawData);
        Assert.Same(copies[0], presented.CopyOf(genuine));
    }

    [Fact]
    public void A_client_sending_fresh_certificates_every_time_cannot_grow_it_past_its_bounds()
    {
        var byEntries = new PresentedCertificates(maxEntries: 4, maxBytes: long.MaxValue);
        var byBytes = new PresentedCertificates(maxEntries: int.MaxValue, maxBytes: 3 * 1024);
        for (var i = 0; i < 12; i++)
        {
            using var fresh = root.Issue($"CN=Fresh {i}", profile => profile.IsCa = true);
            Assert.Equal(fresh.RawData, byEntries.CopyOf(fresh).RawData);
            Assert.Equal(fresh.RawData, byBytes.CopyOf(fresh).RawData);
            Assert.InRange(byEntries.Count, 1, 4);
            Assert.InRange(byBytes.Count, 1, (3 * 1024 / fresh.RawData.Length) + 1);
        }
    }

    [Fact]
    public async Task Handshakes_racing_on_the_same_certificate_all_get_the_copy_that_is_kept()
    {
        var presented = new PresentedCertificates();
        using var intermediate = root.Issue("CN=Raced Intermediate", profile => profile.IsCa = true);
        var copies = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() =>
        {
            using var sent = X509CertificateLoader.LoadCertificate(intermediate.RawData);
            return presented.CopyOf(sent);
        })));

        Assert.Single(copies.Distinct(ReferenceEqualityComparer.Instance));
        Assert.Same(copies[0], presented.CopyOf(intermediate));
    }
}
