using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Revocation;
using MtlsGateway.Validation.Revocation.Crl;
using MtlsGateway.Validation.Trust;
using MtlsGateway.Validation.Verdicts;
using Xunit.Abstractions;

namespace MtlsGateway.Tests.Validation;

/// <summary>
/// The whole NIST PKITS (sections 4.1 to 4.16, 249 cases with their RFC 5280 6.1.1 policy inputs), each case run
/// through the validator the gateway uses, with revocation information required for every certificate of the path.
/// </summary>
public sealed class PkitsConformanceTests(ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Fixtures", "pkits");

    /// <summary>
    /// Cases the validator does not yet judge as PKITS expects. A case listed here must still fail, so a fix has to
    /// take it off the list; the goal is an empty list.
    /// </summary>
    private static readonly HashSet<string> KnownFailures = new(StringComparer.Ordinal);

    /// <summary>
    /// Invalid cases whose only defect is in their revocation data (a missing, unusable, out-of-scope or wrongly signed
    /// CRL, or a CRL issuer whose key may not sign CRLs): with revocation checking off, their path is valid.
    /// </summary>
    private static readonly HashSet<string> InvalidOnlyByRevocationData = new(StringComparer.Ordinal)
    {
        "4.4.1", "4.4.4", "4.4.5", "4.4.6", "4.4.8", "4.4.9", "4.4.10", "4.4.11", "4.4.12", "4.7.4",
        "4.7.5", "4.14.3", "4.14.8", "4.14.9", "4.14.11", "4.14.12", "4.14.14", "4.14.17", "4.14.26", "4.14.27",
        "4.14.35", "4.15.1", "4.15.10",
    };

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
        var verdict = await JudgeAsync(suite, pkitsCase, RevocationMode.Require);
        var outcome = verdict.Refusal?.ToCode() ?? "accepted";
        output.WriteLine($"{id} ({pkitsCase.Title}): expected {pkitsCase.Expected}, got {outcome}: {verdict.Detail}");

        var asExpected = pkitsCase.Expected switch
        {
            "valid" => verdict.Accepted,
            "revoked" => verdict.Refusal == RefusalReason.Revoked,
            _ => verdict.Refusal is not null and not RefusalReason.Revoked,
        };
        if (KnownFailures.Contains(id))
        {
            Assert.False(asExpected, $"{id} now has the expected outcome ({pkitsCase.Expected}): take it off {nameof(KnownFailures)}");
        }
        else
        {
            Assert.True(asExpected, $"{id} ({pkitsCase.Title}): expected {pkitsCase.Expected}, got {outcome}: {verdict.Detail}");
        }
    }

    /// <summary>
    /// Every case with revocation checking off: the path side alone (chain, crypto minimums, validity, policies,
    /// usage) must judge all 249 as PKITS does, whatever the state of revocation processing.
    /// </summary>
    [Theory]
    [MemberData(nameof(CaseIds))]
    public async Task Path_is_judged_as_expected_without_revocation(string id)
    {
        var suite = ReadCases();
        var pkitsCase = suite.Cases.Single(c => c.Id == id);
        var verdict = await JudgeAsync(suite, pkitsCase, RevocationMode.Off);
        var expectAccepted = pkitsCase.Expected != "invalid" || InvalidOnlyByRevocationData.Contains(id);
        Assert.True(
            verdict.Accepted == expectAccepted,
            $"{id} ({pkitsCase.Title}) without revocation: expected {(expectAccepted ? "accepted" : "refused")}, got {verdict.Refusal?.ToCode() ?? "accepted"}: {verdict.Detail}");
    }

    [Fact]
    public void The_fixture_holds_the_whole_suite()
    {
        var cases = ReadCases().Cases;
        Assert.Equal(249, cases.Count);
        Assert.Equal(249, cases.Select(c => c.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.All(KnownFailures, id => Assert.Contains(cases, c => c.Id == id));
        Assert.All(InvalidOnlyByRevocationData, id => Assert.Equal("invalid", cases.Single(c => c.Id == id).Expected));
    }

    private static async Task<ValidationVerdict> JudgeAsync(PkitsSuite suite, PkitsCase pkitsCase, RevocationMode revocation)
    {
        var now = DateTimeOffset.UtcNow;
        var trust = TrustList.Load([Path.Combine(Root, "certs", suite.TrustAnchor)], [], now);
        var policy = new PathValidationPolicy
        {
            // PKITS signs with DSA-1024 and SHA-1 throughout.
            MinimumKeySize = 1024,
            AllowSha1Signatures = true,
            AcceptablePolicies = pkitsCase.InitialPolicySet.Contains(PathValidationPolicy.AnyPolicy) ? [] : pkitsCase.InitialPolicySet,
            RequireExplicitPolicy = pkitsCase.InitialExplicitPolicy,
            InhibitPolicyMapping = pkitsCase.InitialPolicyMappingInhibit,
            InhibitAnyPolicy = pkitsCase.InitialAnyPolicyInhibit,
        };
        var crls = new CrlSet(pkitsCase.Crls.SelectMany(file => CrlFiles.Read(Path.Combine(Root, "crls", file))));
        var check = new RevocationCheck(revocation, RevocationScope.Chain, [new CrlFileRevocationSource(() => crls, TimeSpan.FromMinutes(5), policy.Minimums)]);
        var validator = new ClientCertificateValidator(() => trust, policy, [check], new ValidationEpoch());
        using var endEntity = Load(pkitsCase.EndEntity);
        var intermediates = pkitsCase.Intermediates.Select(Load).ToArray();
        try
        {
            return await validator.ValidateAsync(endEntity, intermediates, now, CancellationToken.None);
        }
        finally
        {
            foreach (var intermediate in intermediates)
            {
                intermediate.Dispose();
            }
        }
    }

    private static X509Certificate2 Load(string file) => X509CertificateLoader.LoadCertificateFromFile(Path.Combine(Root, "certs", file));

    private static PkitsSuite ReadCases() =>
        JsonSerializer.Deserialize<PkitsSuite>(File.ReadAllText(Path.Combine(Root, "cases.json")), JsonOptions)!;

    private sealed record PkitsSuite(string TrustAnchor, IReadOnlyList<PkitsCase> Cases);

    private sealed record PkitsCase(
        string Id,
        string Title,
        string EndEntity,
        IReadOnlyList<string> Intermediates,
        IReadOnlyList<string> Crls,
        IReadOnlyList<string> InitialPolicySet,
        bool InitialExplicitPolicy,
        bool InitialPolicyMappingInhibit,
        bool InitialAnyPolicyInhibit,
        string Expected);
}
