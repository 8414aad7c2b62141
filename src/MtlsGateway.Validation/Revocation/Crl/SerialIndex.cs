

namespace MtlsGateway.Validation.Revocation.Crl;

/// <summary>
/// An open-addressing hash set of CRL entries keyed by serial number, holding only integers: the entry's ordinal and
/// the serial's hash. The serial bytes stay in the CRL's own encoding, so a million entries cost a few megabytes
/// here instead of a million objects. Hashes come from <see cref="HashCode"/>, which is seeded per process, so a CRL
/// crafted to collide cannot degrade lookups to linear scans.
/// </summary>
internal sealed class SerialIndex
{
    private readonly int[] ordinalsPlusOne;
    private readonly int[] hashes;
    private readonly int mask;

    public SerialIndex(int entryCount)
    {
        // A load factor of at most one half keeps probe sequences short.
        var size = (int)Math.Max(4, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, entryCount) * 2));
        ordinalsPlusOne = new int[size];
        hashes = new int[size];
        mask = size - 1;
    }

    public static int Hash(ReadOnlySpan<byte> serial)
    {
        var hash = default(HashCode);
        hash.AddBytes(serial);
        return hash.ToHashCode();
    }

    public void Add(int hash, int ordinal)
    {
        var slot = hash & mask;
        while (ordinalsPlusOne[slot] != 0)
        {
            slot = (slot + 1) & mask;
        }

        ordinalsPlusOne[slot] = ordinal + 1;
        hashes[slot] = hash;
    }

    /// <summary>The ordinals of the entries whose serial has this hash (the caller compares the serials).</summary>
    public Candidates CandidatesFor(int hash) => new(this, hash);

    /// <summary>A probe sequence, as an allocation-free enumerator.</summary>
    public struct Candidates
    {
        private readonly SerialIndex index;
        private readonly int hash;
        private int slot;
        private bool started;

        internal Candidates(SerialIndex index, int hash)
        {
            this.index = index;
            this.hash = hash;
            slot = hash & index.mask;
            started = false;
            Current = -1;
        }

        public int Current { get; private set; }

        public readonly Candidates GetEnumerator() => this;

        public bool MoveNext()
        {
            if (started)
            {
                slot = (slot + 1) & index.mask;
            }

            started = true;
            while (index.ordinalsPlusOne[slot] != 0)
            {
                if (index.hashes[slot] == hash)
                {
                    Current = index.ordinalsPlusOne[slot] - 1;
                    return true;
                }

                slot = (slot + 1) & index.mask;
            }

            return false;
        }
    }
}
