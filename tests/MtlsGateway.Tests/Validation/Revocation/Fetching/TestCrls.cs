using System.Formats.Asn1;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Revocation;
using MtlsGateway.Validation.Revocation.Fetching;

namespace MtlsGateway.Tests.Validation.Revocation.Fetching;

/// <summary>
/// Test stand-ins for the download cache's two seams: enough real CRL reading (nextUpdate, revoked serials) to exercise
/// the download cache and the crl-fetch source. Signature checks belong to the CRL reader, not exercised here.
/// </summary>
internal static class TestCrls
{
    public static ParsedCrl<TestCrl>? Read(ReadOnlyMemory<byte> der)
        => NextUpdateOf(der) is { } nextUpdate ? new ParsedCrl<TestCrl>(new TestCrl(der.ToArray()), nextUpdate) : null;

    public static DateTimeOffset? NextUpdateOf(ReadOnlyMemory<byte> der)
    {
        try
        {
            return NextUpdateOrNull(der);
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    private static DateTimeOffset? NextUpdateOrNull(ReadOnlyMemory<byte> der)
    {
        var tbs = TbsOf(der);
        return tbs.HasData && IsTime(tbs.PeekTag()) ? ReadTime(tbs) : null;
    }

    public static RevocationStatus Lookup(IReadOnlyList<TestCrl> crls, CertificatePath path, int index, DateTimeOffset at)
    {
        var status = RevocationStatus.Unknown("crl-fetch", "no CRL");
        foreach (var crl in crls)
        {
            status = Lookup(crl, path, index, at);
            if (status.State != RevocationState.Unknown)
            {
                return status;
            }
        }

        return status;
    }

    private static RevocationStatus Lookup(TestCrl crl, CertificatePath path, int index, DateTimeOffset at)
    {
        var tbs = TbsOf(crl.Der);
        var nextUpdate = ReadTime(tbs);
        if (nextUpdate < at)
        {
            return RevocationStatus.Unknown("crl-fetch", "CRL is stale");
        }

        var serial = path.Certificates[index].SerialNumberBytes.Span;
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var revoked = tbs.ReadSequence();
            while (revoked.HasData)
            {
                var entry = revoked.ReadSequence();
                if (entry.ReadIntegerBytes().Span.SequenceEqual(serial))
                {
                    return new RevocationStatus(RevocationState.Revoked, "crl-fetch", "listed", nextUpdate, "unspecified", ReadTime(entry));
                }
            }
        }

        return new RevocationStatus(RevocationState.Good, "crl-fetch", "not listed", nextUpdate);
    }

    // Reads TBSCertList up to and including thisUpdate; the reader is left at nextUpdate.
    private static AsnReader TbsOf(ReadOnlyMemory<byte> der)
    {
        var tbs = new AsnReader(der, AsnEncodingRules.DER).ReadSequence().ReadSequence();
        if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
        {
            tbs.ReadInteger();
        }

        tbs.ReadSequence();
        tbs.ReadSequence();
        ReadTime(tbs);
        return tbs;
    }

    private static bool IsTime(Asn1Tag tag) => tag.HasSameClassAndValue(Asn1Tag.UtcTime) || tag.HasSameClassAndValue(Asn1Tag.GeneralizedTime);

    private static DateTimeOffset ReadTime(AsnReader reader)
        => reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();
}
