using System.Security.Cryptography.X509Certificates;
using MtlsGateway.ClientCertificates;
using MtlsGateway.TestSupport.Pki;

namespace MtlsGateway.Tests.Gateway.ClientCertificates;

/// <summary>
/// What a resumed session is judged with: every distinct chain its certificate was sent with, most recent first. A
/// client reconnecting with the same chain adds nothing; a client cycling chains cannot push one out unseen.
/// </summary>
public sealed class HandshakeChainMemoryTests : IDisposable
{
    private readonly TestCa root = TestCa.CreateRoot("CN=Memory Root");
    private readonly HandshakeChainMemory memory = new(1024 * 1024);

    public void Dispose()
    {
        memory.Dispose();
        root.Dispose();
    }

    [Fact]
    public void The_same_chain_again_is_remembered_once_and_a_different_one_goes_first()
    {
        using var leaf = root.Issue("CN=client");
        using var intermediate = root.Issue("CN=Sent Intermediate", profile => profile.IsCa = true);
        X509Certificate2[] withIntermediate = [intermediate];

        memory.Remember(leaf, []);
        memory.Remember(leaf, []);
        Assert.Single(memory.Of(leaf)!.Chains);

        memory.Remember(leaf, withIntermediate);
        memory.Remember(leaf, withIntermediate);
        Assert.Equal([1, 0], memory.Of(leaf)!.Chains.Select(chain => chain.Count));

        // The older chain sent again moves to the front; nothing is forgotten.
        memory.Remember(leaf, []);
        Assert.Equal([0, 1], memory.Of(leaf)!.Chains.Select(chain => chain.Count));
        Assert.False(memory.Of(leaf)!.Overflowed);
    }

    [Fact]
    public void More_distinct_chains_than_remembered_marks_the_certificate_overflowed()
    {
        using var leaf = root.Issue("CN=cycling client");
        var intermediates = Enumerable.Range(0, HandshakeChainMemory.MaxChainsPerCertificate + 1)
            .Select(i => root.Issue($"CN=Intermediate {i}", profile => profile.IsCa = true))
            .ToList();
        try
        {
            foreach (var intermediate in intermediates)
            {
                memory.Remember(leaf, [intermediate]);
                memory.Remember(leaf, [intermediate]);
            }

            var remembered = memory.Of(leaf)!;
            Assert.True(remembered.Overflowed);
            Assert.Equal(HandshakeChainMemory.MaxChainsPerCertificate, remembered.Chains.Count);
        }
        finally
        {
            intermediates.ForEach(certificate => certificate.Dispose());
        }
    }
}
