using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using MtlsGateway.TestSupport.Files;
using MtlsGateway.TestSupport.Logging;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.Validation.Certificates;
using MtlsGateway.Validation.Chains;
using MtlsGateway.Validation.Revocation;
using MtlsGateway.Validation.Revocation.Crl;
using MtlsGateway.Validation.Trust;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.Tests.Validation.Revocation.Crl;

public sealed class CrlFileStoreTests : IDisposable
{
    private static readonly TimeSpan NoPeriodicRecheck = TimeSpan.FromHours(1);
    private readonly DateTimeOffset now = DateTimeOffset.UtcNow;
    private readonly TempFolder folder = new();
    private readonly TestCa ca = TestCa.CreateRoot("CN=Store CA");
    private readonly CapturedLogs logs = new();
    private readonly ILogger logger;
    private readonly ValidationEpoch epoch = new();

    public CrlFileStoreTests() => logger = logs.CreateLogger(nameof(CrlFileStore));

    public void Dispose()
    {
        ca.Dispose();
        folder.Dispose();
    }

    [Fact]
    public void A_broken_replacement_keeps_the_last_good_crls_and_logs_an_error()
    {
        var file = folder.Write("ca.crl", CrlPem([]));
        using var store = new CrlFileStore([folder.Path], NoPeriodicRecheck, epoch, logger, TimeProvider.System);
        var epochAtStart = epoch.Current;

        File.WriteAllText(file, "-----BEGIN X509 CRL-----\nbroken\n-----END X509 CRL-----\n");
        store.Reload();

        Assert.Single(store.Current.All);
        Assert.Equal(epochAtStart, epoch.Current);
        Assert.Contains("ca.crl", store.LastError);
        Assert.Contains(logs.Events, entry => entry.Level == LogLevel.Error && entry.Message.Contains("CRL files reload failed, keeping the last good version", StringComparison.Ordinal));

        File.WriteAllText(file, CrlPem([new RevocationEntry([0x42], now.AddMinutes(-1), X509RevocationReason.Superseded)]));
        store.Reload();

        Assert.Null(store.LastError);
        Assert.Equal(epochAtStart + 1, epoch.Current);
        Assert.True(Assert.Single(store.Current.All).TryFind([0x42], out _));
    }

    [Fact]
    public void Unchanged_files_do_not_advance_the_epoch()
    {
        folder.Write("ca.crl", CrlPem([]));
        using var store = new CrlFileStore([folder.Path], NoPeriodicRecheck, epoch, logger, TimeProvider.System);
        var before = store.Current;

        store.Reload();

        Assert.Equal(0, epoch.Current);
        Assert.Same(before, store.Current);
    }

    [Fact]
    public void A_broken_file_at_start_up_is_an_error_naming_the_file()
    {
        var file = folder.Write("bad.crl", "not a CRL");

        var error = Assert.Throws<CertificateSourceException>(() => new CrlFileStore([file], NoPeriodicRecheck, epoch, logger, TimeProvider.System));

        Assert.Equal(file, error.Source);
    }

    [Fact]
    public void Summaries_expose_issuer_dates_and_entry_count()
    {
        folder.Write("ca.crl", CrlPem([new RevocationEntry([0x01], now), new RevocationEntry([0x02], now)]));
        using var store = new CrlFileStore([folder.Path], NoPeriodicRecheck, epoch, logger, TimeProvider.System);

        var summary = Assert.Single(store.Summaries());

        Assert.Equal("CN=Store CA", summary.Issuer);
        Assert.Equal(2, summary.EntryCount);
        Assert.Equal(now.AddHours(-1).ToUnixTimeSeconds(), summary.ThisUpdate.ToUnixTimeSeconds());
        Assert.Equal(now.AddDays(1).ToUnixTimeSeconds(), summary.NextUpdate!.Value.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task The_watcher_picks_up_a_replaced_file()
    {
        var file = folder.Write("ca.crl", CrlPem([]));
        using var store = new CrlFileStore([file], TimeSpan.FromMilliseconds(200), epoch, logger, TimeProvider.System);
        var changed = new TaskCompletionSource<CrlSet>(TaskCreationOptions.RunContinuationsAsynchronously);
        store.Changed += set => changed.TrySetResult(set);

        var replacement = file + ".new";
        File.WriteAllText(replacement, CrlPem([new RevocationEntry([0x09], now)]));
        File.Move(replacement, file, overwrite: true);

        var set = await changed.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.True(Assert.Single(set.All).TryFind([0x09], out _));
        Assert.True(epoch.Current > 0);
    }

    [Fact]
    public async Task A_revocation_in_a_reloaded_file_outdates_the_verdict_and_refuses_the_client()
    {
        using var client = ca.Issue("CN=reloaded-client");
        var anchorFile = folder.Write("anchor.pem", ca.Certificate.ExportCertificatePem());
        var crlFolder = Directory.CreateDirectory(Path.Combine(folder.Path, "crls")).FullName;
        var crlFile = Path.Combine(crlFolder, "ca.crl");
        File.WriteAllText(crlFile, CrlPem([]));
        using var store = new CrlFileStore([crlFolder], NoPeriodicRecheck, epoch, logger, TimeProvider.System);
        var trust = TrustList.Load([anchorFile], [], now);
        var check = new RevocationCheck(RevocationMode.Require, RevocationScope.Chain, [new CrlFileRevocationSource(() => store.Current, TimeSpan.FromMinutes(5))]);
        var validator = new ClientCertificateValidator(() => trust, new PathValidationPolicy(), [check], epoch);

        var before = await validator.ValidateAsync(client, [], now, CancellationToken.None);
        File.WriteAllText(crlFile, CrlPem([new RevocationEntry(client.SerialNumberBytes.ToArray(), now.AddMinutes(-1), X509RevocationReason.KeyCompromise)]));
        store.Reload();
        var after = await validator.ValidateAsync(client, [], now, CancellationToken.None);

        Assert.True(before.Accepted, before.Detail);
        Assert.False(before.IsCurrent(now, epoch.Current));
        Assert.Equal(RefusalReason.Revoked, after.Refusal);
        Assert.Contains("keyCompromise", after.Detail);
    }

    private string CrlPem(IEnumerable<RevocationEntry> entries) => PemFiles.CrlPem(ca.CreateCrl(crl =>
    {
        crl.ThisUpdate = now.AddHours(-1);
        crl.NextUpdate = now.AddDays(1);
        crl.Number = 1;
        crl.Add(entries);
    }));
}
