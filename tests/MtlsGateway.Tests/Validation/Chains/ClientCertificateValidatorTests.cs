using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Trust;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.Tests.Validation.Chains;

public sealed class ClientCertificateValidatorTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly TestCa root = TestCa.CreateRoot("CN=Unit Root", profile => profile.Valid(Now.AddYears(-2), Now.AddYears(5)));
    private readonly string folder = Directory.CreateTempSubdirectory("validator-").FullName;

    public void Dispose()
    {
        root.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Accepts_a_client_certificate_issued_by_a_trusted_CA_and_reports_the_path()
    {
        var client = root.Issue("CN=alice");
        var verdict = await Validator().ValidateAsync(client, [], Now, default);
        Assert.True(verdict.Accepted, verdict.Detail);
        Assert.Equal(["CN=alice", "CN=Unit Root"], verdict.Path.Select(c => c.Subject));
        Assert.Equal(new DateTimeOffset(client.NotAfter.ToUniversalTime(), TimeSpan.Zero) + TimeSpan.FromMinutes(5), verdict.ValidUntil);
    }

    [Fact]
    public async Task Refuses_a_certificate_of_another_CA_as_untrusted()
    {
        using var other = TestCa.CreateRoot("CN=Other Root", profile => profile.Valid(Now.AddYears(-1), Now.AddYears(1)));
        var verdict = await Validator().ValidateAsync(other.Issue("CN=mallory"), [], Now, default);
        Assert.Equal(RefusalReason.Untrusted, verdict.Refusal);
        Assert.Contains("CN=Other Root", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_self_signed_copy_of_the_trusted_CA_name_is_untrusted()
    {
        using var impostor = TestCa.CreateRoot("CN=Unit Root", profile => profile.Valid(Now.AddYears(-1), Now.AddYears(1)));
        var verdict = await Validator().ValidateAsync(impostor.Issue("CN=mallory"), [], Now, default);
        Assert.Equal(RefusalReason.Untrusted, verdict.Refusal);
    }

    [Theory]
    [InlineData(-4, true)]
    [InlineData(-6, false)]
    public async Task Applies_the_clock_skew_to_notAfter(int minutesSinceExpiry, bool accepted)
    {
        var client = root.Issue("CN=edge", profile => profile.Valid(Now.AddDays(-1), Now.AddMinutes(minutesSinceExpiry)));
        var verdict = await Validator().ValidateAsync(client, [], Now, default);
        Assert.Equal(accepted, verdict.Accepted);
        if (!accepted)
        {
            Assert.Equal(RefusalReason.Expired, verdict.Refusal);
        }
    }

    [Theory]
    [InlineData(4, true)]
    [InlineData(6, false)]
    public async Task Applies_the_clock_skew_to_notBefore(int minutesUntilValid, bool accepted)
    {
        var client = root.Issue("CN=early", profile => profile.Valid(Now.AddMinutes(minutesUntilValid), Now.AddDays(1)));
        var verdict = await Validator().ValidateAsync(client, [], Now, default);
        Assert.Equal(accepted, verdict.Accepted);
        if (!accepted)
        {
            Assert.Equal(RefusalReason.NotYetValid, verdict.Refusal);
            Assert.True(verdict.ValidUntil <= Now.AddMinutes(minutesUntilValid), "a not-yet-valid verdict must be re-examined once the certificate becomes valid");
        }
    }

    [Fact]
    public async Task An_expired_intermediate_expires_the_path()
    {
        using var intermediate = root.CreateIntermediate("CN=Old Issuing", profile => profile.Valid(Now.AddYears(-1), Now.AddDays(-1)));
        var client = intermediate.Issue("CN=bob", profile => profile.Valid(Now.AddMonths(-6), Now.AddDays(-2)));
        var verdict = await Validator().ValidateAsync(client, [intermediate.PublicCertificate], Now, default);
        Assert.Equal(RefusalReason.Expired, verdict.Refusal);
    }

    [Fact]
    public async Task Refuses_serverAuth_only_EKU_unless_configured_otherwise()
    {
        var server = root.Issue("CN=server", profile => profile.ExtendedKeyUsages = [Oids.ServerAuth]);
        Assert.Equal(RefusalReason.WrongUsage, (await Validator().ValidateAsync(server, [], Now, default)).Refusal);
        var relaxed = Validator(new PathValidationPolicy { EnforceExtendedKeyUsage = false });
        Assert.True((await relaxed.ValidateAsync(server, [], Now, default)).Accepted);
    }

    [Fact]
    public async Task Accepts_certificates_without_an_EKU_extension_and_with_anyExtendedKeyUsage()
    {
        Assert.True((await Validator().ValidateAsync(root.Issue("CN=no-eku", profile => profile.ExtendedKeyUsages = null), [], Now, default)).Accepted);
        Assert.True((await Validator().ValidateAsync(root.Issue("CN=any", profile => profile.ExtendedKeyUsages = [Oids.AnyExtendedKeyUsage]), [], Now, default)).Accepted);
    }

    [Fact]
    public async Task Refuses_a_key_usage_that_cannot_sign()
    {
        var client = root.Issue("CN=encipher-only", profile => profile.KeyUsage = X509KeyUsageFlags.KeyEncipherment);
        var verdict = await Validator().ValidateAsync(client, [], Now, default);
        Assert.Equal(RefusalReason.WrongUsage, verdict.Refusal);
        Assert.Contains("keyUsage", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_leaf_of_an_unknown_CA_is_told_its_issuer_is_unknown_without_advice_about_intermediates()
    {
        using var stranger = TestCa.CreateRoot("CN=Stranger Root");
        var verdict = await Validator().ValidateAsync(stranger.Issue("CN=mallory"), [], Now, default);

        Assert.Equal(RefusalReason.Untrusted, verdict.Refusal);
        Assert.Equal("no trusted issuer found for 'CN=mallory': its issuer 'CN=Stranger Root' is neither a trust anchor nor a known intermediate CA", verdict.Detail);
        Assert.DoesNotContain("IntermediateFiles", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Intermediate_advice_is_given_only_for_an_issuer_known_to_lead_to_a_trust_anchor()
    {
        using var intermediate = root.CreateIntermediate("CN=Issuing");
        using var lookAlike = TestCa.CreateRoot("CN=Issuing");
        var validator = Validator();
        Assert.True((await validator.ValidateAsync(intermediate.Issue("CN=alice"), [intermediate.PublicCertificate], Now, default)).Accepted);

        var leafOnly = await validator.ValidateAsync(intermediate.Issue("CN=carol"), [], Now, default);
        var impostor = await validator.ValidateAsync(lookAlike.Issue("CN=eve"), [], Now, default);

        Assert.Equal(
            $"no trusted issuer found for 'CN=carol': its issuer 'CN=Issuing' is an intermediate CA of trust anchor '{root.Certificate.Subject}' the client did not send: the client must send its intermediate CAs, or configure them in IntermediateFiles",
            leafOnly.Detail);

        // Same issuer name, another key: the remembered intermediate did not issue it, so no advice.
        Assert.Equal(RefusalReason.Untrusted, impostor.Refusal);
        Assert.DoesNotContain("IntermediateFiles", impostor.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completes_chains_from_presented_or_configured_intermediates()
    {
        using var intermediate = root.CreateIntermediate("CN=Issuing");
        var client = intermediate.Issue("CN=carol");
        var missingIntermediate = await Validator().ValidateAsync(client, [], Now, default);
        Assert.Equal(RefusalReason.Untrusted, missingIntermediate.Refusal);
        Assert.Equal("no trusted issuer found for 'CN=carol': its issuer 'CN=Issuing' is neither a trust anchor nor a known intermediate CA", missingIntermediate.Detail);
        Assert.True((await Validator().ValidateAsync(client, [intermediate.PublicCertificate], Now, default)).Accepted);

        var configured = System.IO.Path.Combine(folder, "intermediates.pem");
        File.WriteAllText(configured, intermediate.Certificate.ExportCertificatePem());
        Assert.True((await Validator(intermediates: [configured]).ValidateAsync(client, [], Now, default)).Accepted);
    }

    [Fact]
    public async Task Runs_the_checks_in_order_and_the_first_refusal_decides()
    {
        var calls = new List<string>();
        var validUntil = Now.AddMinutes(10);
        var checks = new ICertificatePathCheck[]
        {
            new RecordingCheck("first", calls, PathCheckResult.Pass(validUntil)),
            new RecordingCheck("second", calls, PathCheckResult.Refuse(RefusalReason.Revoked, "serial 01 revoked")),
            new RecordingCheck("third", calls, PathCheckResult.Pass()),
        };
        var verdict = await Validator(checks: checks).ValidateAsync(root.Issue("CN=dave"), [], Now, default);
        Assert.Equal(RefusalReason.Revoked, verdict.Refusal);
        Assert.Equal("serial 01 revoked", verdict.Detail);
        Assert.Equal(["first", "second"], calls);
    }

    [Fact]
    public async Task A_passing_check_bounds_how_long_the_verdict_is_valid()
    {
        var validUntil = Now.AddMinutes(10);
        var verdict = await Validator(checks: [new RecordingCheck("crl", [], PathCheckResult.Pass(validUntil))])
            .ValidateAsync(root.Issue("CN=erin"), [], Now, default);
        Assert.True(verdict.Accepted);
        Assert.Equal(validUntil, verdict.ValidUntil);
    }

    [Fact]
    public async Task Checks_see_the_built_path_and_the_other_known_certificates()
    {
        using var intermediate = root.CreateIntermediate("CN=Issuing");
        CertificatePath? seen = null;
        var check = new RecordingCheck("capture", [], PathCheckResult.Pass(), path => seen = path);
        var client = intermediate.Issue("CN=frank");
        await Validator(checks: [check]).ValidateAsync(client, [intermediate.PublicCertificate], Now, default);
        Assert.NotNull(seen);
        Assert.Equal(["CN=frank", "CN=Issuing", "CN=Unit Root"], seen!.Certificates.Select(c => c.Subject));
        Assert.Equal("CN=Issuing", seen.IssuerOf(0).Subject);
        Assert.Contains(seen.OtherCertificates, c => c.Subject == "CN=Unit Root");
    }

    [Fact]
    public async Task The_verdict_carries_the_epoch_it_was_computed_in()
    {
        var epoch = new ValidationEpoch();
        epoch.Advance();
        var verdict = await Validator(epoch: epoch).ValidateAsync(root.Issue("CN=gina"), [], Now, default);
        Assert.True(verdict.IsCurrent(Now, epoch.Current));
        epoch.Advance();
        Assert.False(verdict.IsCurrent(Now, epoch.Current));
    }

    private ClientCertificateValidator Validator(PathValidationPolicy? policy = null, IReadOnlyList<ICertificatePathCheck>? checks = null, ValidationEpoch? epoch = null, IReadOnlyList<string>? intermediates = null)
    {
        var anchors = System.IO.Path.Combine(folder, "root.pem");
        File.WriteAllText(anchors, root.Certificate.ExportCertificatePem());
        var trust = TrustList.Load([anchors], intermediates ?? [], Now);
        return new ClientCertificateValidator(() => trust, policy ?? new PathValidationPolicy(), checks ?? [], epoch ?? new ValidationEpoch());
    }

    private sealed class RecordingCheck(string name, List<string> calls, PathCheckResult result, Action<CertificatePath>? inspect = null) : ICertificatePathCheck
    {
        public ValueTask<PathCheckResult> CheckAsync(CertificatePath path, DateTimeOffset validationTime, CancellationToken cancellationToken)
        {
            calls.Add(name);
            inspect?.Invoke(path);
            return ValueTask.FromResult(result);
        }
    }
}
