using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Revocation;
using MtlsGateway.Validation.Revocation.Crl;
using MtlsGateway.Validation.Trust;
using MtlsGateway.Validation.Verdicts;
using Xunit.Abstractions;

namespace MtlsGateway.Tests.Revocation;

/// <summary>NIST PKITS sections 4.1 to 4.4, each case run through the validator the gateway uses.</summary>
public sealed class PkitsConformanceTests(ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Fixtures", "pkits");

    public static TheoryData<string> CaseIds()
    {
        var data = new TheoryData<string>();
        foreach (var pkitsCase in ReadCases().Cases)
        {
            data.Add(pkitsCase.Id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public async Task Case_has_the_expected_outcome(string id)
    {
        var suite = ReadCases();
        var pkitsCase = suite.Cases.Single(c => c.Id == id);
        var now = DateTimeOffset.UtcNow;
        var trust = TrustList.Load([Path.Combine(Root, "certs", suite.TrustAnchor)], [], now);
        var crls = new CrlSet(pkitsCase.Crls.SelectMany(file => CrlFiles.Read(Path.Combine(Root, "crls", file))));
        var mode = pkitsCase.RequireRevocationInfo ? RevocationMode.Require : RevocationMode.BestEffort;
        var check = new RevocationCheck(mode, RevocationScope.Chain, [new CrlFileRevocationSource(() => crls, TimeSpan.FromMinutes(5))]);
        var validator = new ClientCertificateValidator(() => trust, new PathValidationPolicy(), [check], new ValidationEpoch());
        using var endEntity = Load(pkitsCase.EndEntity);
        var intermediates = pkitsCase.Intermediates.Select(Load).ToArray();

        var verdict = await validator.ValidateAsync(endEntity, intermediates, now, CancellationToken.None);

        output.WriteLine($"{id}: {verdict.Refusal?.ToCode() ?? "accepted"}: {verdict.Detail}");
        switch (pkitsCase.Expected)
        {
            case "valid":
                Assert.True(verdict.Accepted, $"{id}: expected accepted, got {verdict.Refusal}: {verdict.Detail}");
                break;
            case "revoked":
                Assert.True(verdict.Refusal == RefusalReason.Revoked, $"{id}: expected revoked, got {verdict.Refusal?.ToString() ?? "accepted"}: {verdict.Detail}");
                break;
            default:
                Assert.True(verdict.Refusal is not null and not RefusalReason.Revoked, $"{id}: expected a refusal other than revoked, got {verdict.Refusal?.ToString() ?? "accepted"}: {verdict.Detail}");
                break;
        }
    }

    [Fact]
    public void The_suite_holds_all_44_cases() => Assert.Equal(44, ReadCases().Cases.Count);

    private static X509Certificate2 Load(string file) => X509CertificateLoader.LoadCertificateFromFile(Path.Combine(Root, "certs", file));

    private static PkitsSuite ReadCases() =>
        JsonSerializer.Deserialize<PkitsSuite>(File.ReadAllText(Path.Combine(Root, "cases.json")), JsonOptions)!;

    private sealed record PkitsSuite(string TrustAnchor, IReadOnlyList<PkitsCase> Cases);

    private sealed record PkitsCase(string Id, string EndEntity, IReadOnlyList<string> Intermediates, IReadOnlyList<string> Crls, bool RequireRevocationInfo, string Expected);
}
