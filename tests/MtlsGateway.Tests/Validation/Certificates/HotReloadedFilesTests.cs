using Microsoft.Extensions.Logging;
using MtlsGateway.TestSupport.Files;
using MtlsGateway.TestSupport.Logging;
using MtlsGateway.TestSupport.Pki;
using MtlsGateway.TestSupport.Processes;
using MtlsGateway.TestSupport.Timing;
using MtlsGateway.Validation.Certificates;
using MtlsGateway.Validation.Trust;
using MtlsGateway.Validation.Verdicts;

namespace MtlsGateway.Tests.Validation.Certificates;

/// <summary>
/// What files and folders can do under a running gateway, applied to the one hot-reload logic (through the trust list,
/// the CRL files use the same): nothing may throw out of a watcher, the last good data stays, the problem is named,
/// and the files recover. The periodic re-check is an hour here, so only the re-armed watcher can apply a change.
/// </summary>
public sealed class HotReloadedFilesTests : IDisposable
{
    private static readonly TimeSpan NoPeriodicRecheck = TimeSpan.FromHours(1);
    private static readonly TimeSpan WellWithinTheRecheck = TimeSpan.FromSeconds(10);
    private readonly TempFolder folder = new("hot-reload-");
    private readonly TestCa first = TestCa.CreateRoot("CN=First Anchor");
    private readonly TestCa second = TestCa.CreateRoot("CN=Second Anchor");
    private readonly CapturedLogs logs = new();
    private readonly ValidationEpoch epoch = new();

    public void Dispose()
    {
        first.Dispose();
        second.Dispose();
        folder.Dispose();
    }

    [Fact]
    public async Task A_deleted_folder_keeps_the_last_good_list_and_a_recreated_one_is_watched_again()
    {
        var trust = folder.CreateFolder("trust");
        PemFiles.WriteCertificate(Path.Combine(trust, "first.pem"), first.Certificate);
        using var provider = Watch([trust]);

        Directory.Delete(trust, recursive: true);
        await Eventually.HoldsAsync(() => provider.LastError is not null, "the deletion to be noticed", WellWithinTheRecheck);
        Assert.Contains(trust, provider.LastError, StringComparison.Ordinal);
        Assert.Equal(["CN=First Anchor"], provider.Current.Anchors.Select(anchor => anchor.Subject));

        Directory.CreateDirectory(trust);
        PemFiles.WriteCertificate(Path.Combine(trust, "first.pem"), first.Certificate);
        await Eventually.HoldsAsync(() => provider.LastError is null, "the recreated folder to be read", WellWithinTheRecheck);

        // The attack on main: this change waited for the periodic re-check, the folder's watcher being dead.
        PemFiles.WriteCertificate(Path.Combine(trust, "second.pem"), second.Certificate);
        await Eventually.HoldsAsync(() => provider.Current.Anchors.Count == 2, "a change in the recreated folder to apply", WellWithinTheRecheck);
        Assert.Contains(trust, provider.WatchedDirectories);
    }

    [Fact]
    public async Task A_file_replaced_by_a_folder_is_a_reload_error_not_a_crash()
    {
        var file = PemFiles.WriteCertificate(folder.PathOf("anchor.pem"), first.Certificate);
        using var provider = Watch([file]);

        File.Delete(file);
        Directory.CreateDirectory(file);
        provider.Reload();

        Assert.NotNull(provider.LastError);
        Assert.Single(provider.Current.Anchors);

        Directory.Delete(file);
        PemFiles.WriteCertificate(file, second.Certificate);
        await Eventually.HoldsAsync(() => provider.Current.Anchors.Single().Subject == "CN=Second Anchor", "the file to be back", WellWithinTheRecheck);
        Assert.Null(provider.LastError);
    }

    [Fact]
    public async Task A_folder_replaced_by_a_file_keeps_the_last_good_list_and_a_folder_put_back_is_watched_again()
    {
        var trust = folder.CreateFolder("trust");
        PemFiles.WriteCertificate(Path.Combine(trust, "first.pem"), first.Certificate);
        using var provider = Watch([trust]);

        Directory.Delete(trust, recursive: true);
        await File.WriteAllTextAsync(trust, "not a certificate, and not a folder");
        await Eventually.HoldsAsync(() => provider.LastError?.Contains("is neither a PEM bundle nor a DER certificate", StringComparison.Ordinal) == true, "the file in the folder's place to be refused", WellWithinTheRecheck);
        Assert.Contains(trust, provider.LastError, StringComparison.Ordinal);
        Assert.Equal(["CN=First Anchor"], provider.Current.Anchors.Select(anchor => anchor.Subject));

        File.Delete(trust);
        Directory.CreateDirectory(trust);
        PemFiles.WriteCertificate(Path.Combine(trust, "second.pem"), second.Certificate);
        await Eventually.HoldsAsync(() => provider.Current.Anchors.SingleOrDefault()?.Subject == "CN=Second Anchor", "the folder put back to apply", WellWithinTheRecheck);
        Assert.Null(provider.LastError);
    }

    [Fact]
    public async Task The_last_file_of_a_folder_vanishing_keeps_the_last_good_list_rather_than_trusting_nothing()
    {
        // A non-atomic update (rm, then cp) passes through an empty folder: that moment must not empty the trust list.
        var trust = folder.CreateFolder("trust");
        var only = PemFiles.WriteCertificate(Path.Combine(trust, "first.pem"), first.Certificate);
        using var provider = Watch([trust]);

        File.Delete(only);
        await Eventually.HoldsAsync(() => provider.LastError is not null, "the empty folder to be noticed", WellWithinTheRecheck);
        Assert.Contains("no trust anchor found", provider.LastError, StringComparison.Ordinal);
        Assert.Equal(["CN=First Anchor"], provider.Current.Anchors.Select(anchor => anchor.Subject));

        PemFiles.WriteCertificate(Path.Combine(trust, "second.pem"), second.Certificate);
        await Eventually.HoldsAsync(() => provider.Current.Anchors.SingleOrDefault()?.Subject == "CN=Second Anchor", "the new file to apply", WellWithinTheRecheck);
        Assert.Null(provider.LastError);
    }

    [Fact]
    public async Task A_symlink_swapped_to_a_missing_target_keeps_the_last_good_list_and_a_swap_back_applies()
    {
        var trust = folder.CreateFolder("trust");
        var real = PemFiles.WriteCertificate(folder.PathOf("first.pem"), first.Certificate);
        var link = Path.Combine(trust, "ca.pem");
        File.CreateSymbolicLink(link, real);
        using var provider = Watch([trust]);

        File.Delete(link);
        File.CreateSymbolicLink(link, folder.PathOf("gone.pem"));
        await Eventually.HoldsAsync(() => provider.LastError is not null, "the dangling link to be noticed", WellWithinTheRecheck);
        Assert.Contains("ca.pem", provider.LastError, StringComparison.Ordinal);
        Assert.Equal(["CN=First Anchor"], provider.Current.Anchors.Select(anchor => anchor.Subject));

        var replacement = PemFiles.WriteCertificate(folder.PathOf("second.pem"), second.Certificate);
        File.Delete(link);
        File.CreateSymbolicLink(link, replacement);
        await Eventually.HoldsAsync(() => provider.Current.Anchors.SingleOrDefault()?.Subject == "CN=Second Anchor", "the link swapped back to apply", WellWithinTheRecheck);
        Assert.Null(provider.LastError);
    }

    [Fact]
    public void A_symlink_loop_in_a_watched_folder_is_named_and_the_last_good_list_stays()
    {
        var trust = folder.CreateFolder("trust");
        PemFiles.WriteCertificate(Path.Combine(trust, "first.pem"), first.Certificate);
        using var provider = Watch([trust]);

        File.CreateSymbolicLink(Path.Combine(trust, "loop-a.pem"), Path.Combine(trust, "loop-b.pem"));
        File.CreateSymbolicLink(Path.Combine(trust, "loop-b.pem"), Path.Combine(trust, "loop-a.pem"));
        provider.Reload();

        Assert.Contains("loop-a.pem", provider.LastError, StringComparison.Ordinal);
        Assert.Single(provider.Current.Anchors);
        Assert.Single(logs.Events, entry => entry.Level == LogLevel.Error);
    }

    [Fact]
    public void A_file_beyond_the_size_bound_is_refused_without_reading_it_whole()
    {
        var trust = folder.CreateFolder("trust");
        PemFiles.WriteCertificate(Path.Combine(trust, "first.pem"), first.Certificate);
        using var provider = Watch([trust]);

        using (var huge = File.Create(Path.Combine(trust, "huge.pem")))
        {
            huge.SetLength(BoundedFile.CertificateLimit + 1);
        }

        provider.Reload();

        Assert.Contains("huge.pem: cannot be read (larger than 16 MiB)", provider.LastError, StringComparison.Ordinal);
        Assert.Single(provider.Current.Anchors);
    }

    [Fact]
    public async Task A_file_that_grows_while_it_is_read_is_read_up_to_the_bound()
    {
        var file = folder.PathOf("growing.pem");
        using var writer = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.ReadWrite);
        writer.Write(System.Text.Encoding.ASCII.GetBytes(first.Certificate.ExportCertificatePem()));
        writer.Flush();
        using var stop = new CancellationTokenSource();
        var growing = Task.Run(
            () =>
            {
                var junk = new byte[64 * 1024];
                while (!stop.IsCancellationRequested && writer.Length < 4 * BoundedFile.CertificateLimit)
                {
                    writer.Write(junk);
                }
            },
            CancellationToken.None);

        var error = Record.Exception(() => CertificateFiles.Read(file));
        await stop.CancelAsync();
        await growing;

        // Either the prefix read holds the certificate, or the file was already past the bound: never an unbounded read.
        Assert.True(error is null or CertificateSourceException, error?.ToString());
    }

    [Fact]
    public async Task A_Kubernetes_style_data_symlink_swap_applies_within_the_debounce()
    {
        // The layout of a mounted ConfigMap or Secret: ..data -> ..<timestamp>/, and each key a link through ..data.
        var mount = folder.CreateFolder("mount");
        var version1 = Directory.CreateDirectory(Path.Combine(mount, "..2026_01_01_00_00_00.1")).FullName;
        PemFiles.WriteCertificate(Path.Combine(version1, "ca.pem"), first.Certificate);
        File.CreateSymbolicLink(Path.Combine(mount, "..data"), Path.GetFileName(version1));
        File.CreateSymbolicLink(Path.Combine(mount, "ca.pem"), Path.Combine("..data", "ca.pem"));
        using var provider = Watch([mount]);
        Assert.Equal("CN=First Anchor", provider.Current.Anchors.Single().Subject);

        var version2 = Directory.CreateDirectory(Path.Combine(mount, "..2026_01_01_00_00_00.2")).FullName;
        PemFiles.WriteCertificate(Path.Combine(version2, "ca.pem"), second.Certificate);
        File.CreateSymbolicLink(Path.Combine(mount, "..data_tmp"), Path.GetFileName(version2));
        ProcessRunner.Run("mv", ["-Tf", Path.Combine(mount, "..data_tmp"), Path.Combine(mount, "..data")]).EnsureSuccess(); // rename(2), as the kubelet does
        Directory.Delete(version1, recursive: true);

        await Eventually.HoldsAsync(() => provider.Current.Anchors.Single().Subject == "CN=Second Anchor", "the swapped version to apply", WellWithinTheRecheck);
        Assert.Null(provider.LastError);
    }

    [Fact]
    public void The_fingerprint_of_entries_that_cannot_be_read_never_throws()
    {
        var loop = folder.PathOf("loop");
        File.CreateSymbolicLink(loop, loop);
        var fingerprint = FileSetWatcher.Fingerprint([loop, folder.PathOf("missing"), folder.Path]);
        Assert.Equal(64, fingerprint.Length);
    }

    private TrustListProvider Watch(IReadOnlyList<string> entries) =>
        new(entries, [], NoPeriodicRecheck, epoch, logs.CreateLogger("Trust"), TimeProvider.System);
}
