using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.ClientCertificates;

/// <summary>The distinct chains one client certificate was sent with in full handshakes, most recent first.</summary>
internal sealed class RememberedChains
{
    private readonly Lock gate = new();
    private List<IReadOnlyList<X509Certificate2>> chains = [];

    /// <summary>More distinct chains were sent than are remembered: a resumption cannot be judged with its own.</summary>
    public bool Overflowed { get; private set; }

    public long Bytes { get; private set; }

    public IReadOnlyList<IReadOnlyList<X509Certificate2>> Chains
    {
        get
        {
            lock (gate)
            {
                return chains;
            }
        }
    }

    /// <summary>Whether <paramref name="sent"/> is the chain remembered last.</summary>
    public bool IsMostRecent(IReadOnlyList<X509Certificate2> sent)
    {
        lock (gate)
        {
            return chains.Count > 0 && SameChain(chains[0], sent);
        }
    }

    public void Add(IReadOnlyList<X509Certificate2> sent, int max)
    {
        lock (gate)
        {
            var known = chains.FindIndex(chain => SameChain(chain, sent));
            var updated = new List<IReadOnlyList<X509Certificate2>>(chains.Count + 1) { known >= 0 ? chains[known] : sent };
            updated.AddRange(chains.Where((_, index) => index != known));
            if (updated.Count > max)
            {
                Overflowed = true;
                updated.RemoveRange(max, updated.Count - max);
            }

            chains = updated;
            Bytes = chains.Sum(chain => chain.Sum(certificate => 2L * certificate.RawDataMemory.Length));
        }
    }

    private static bool SameChain(IReadOnlyList<X509Certificate2> a, IReadOnlyList<X509Certificate2> b) =>
        a.Count == b.Count && a.Zip(b).All(pair => pair.First.RawDataMemory.Span.SequenceEqual(pair.Second.RawDataMemory.Span));
}
