namespace MtlsGateway.Validation.Revocation.Crl;

/// <summary>
/// What reading a CRL's entries collects: where each entry starts and, for an indirect CRL, whose certificate each
/// entry lists. RFC 5280 5.3.3: a certificateIssuer entry extension names the issuer of its entry and of every
/// following entry until the next one that names another; entries before the first belong to the CRL issuer.
/// </summary>
internal sealed class CrlEntryOffsets
{
    public List<int> Offsets { get; } = [];

    /// <summary>Per entry, the index into <see cref="CertificateIssuers"/> (-1: the CRL issuer); null while no entry named an issuer.</summary>
    public List<int>? EntryIssuers { get; private set; }

    /// <summary>The certificateIssuer values met so far (encoded GeneralNames), in order.</summary>
    public List<ReadOnlyMemory<byte>> CertificateIssuers { get; } = [];

    /// <summary>The entry about to be added, and those after it, belong to <paramref name="generalNames"/>.</summary>
    public void StartCertificateIssuer(ReadOnlyMemory<byte> generalNames)
    {
        if (EntryIssuers is null)
        {
            EntryIssuers = new List<int>(Offsets.Capacity);
            EntryIssuers.AddRange(Enumerable.Repeat(-1, Offsets.Count));
        }

        CertificateIssuers.Add(generalNames);
    }
}
