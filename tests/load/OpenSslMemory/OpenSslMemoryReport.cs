using System.Globalization;

namespace MtlsGateway.OpenSslMemory;

/// <summary>
/// Keeps a small file up to date with OpenSSL's live bytes and allocation count ("bytes allocations", every 200 ms),
/// for a script to read before and after it opens connections. A file named like it plus ".start" turns allocation
/// tracking on; one plus ".dump" makes it write the live tracked allocations per source line to ".tracked"
/// ("bytes allocations source", largest first). compare.sh drives it around its idle connections.
/// </summary>
internal static class OpenSslMemoryReport
{
    public const string FileVariable = "MTLSGATEWAY_OPENSSL_MEMORY_FILE";
    public const string DefaultFile = "openssl-memory.txt";

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    public static void StartInBackground(string path)
    {
        var thread = new Thread(() => Run(Path.GetFullPath(path))) { IsBackground = true, Name = "OpenSSL memory report" };
        thread.Start();
    }

    private static void Run(string path)
    {
        var counters = OpenSslAllocationCounters.Find(out var problem);
        if (counters is null)
        {
            File.WriteAllText(path, "unavailable: " + problem + "\n");
            return;
        }

        var tracking = false;
        var dumped = false;
        while (true)
        {
            WriteAtomically(path, string.Create(CultureInfo.InvariantCulture, $"{counters.AllocatedBytes} {counters.AllocationCount}\n"));
            if (!tracking && File.Exists(path + ".start"))
            {
                counters.StartTracking();
                tracking = true;
            }

            if (tracking && !dumped && File.Exists(path + ".dump"))
            {
                var lines = counters.LiveTrackedAllocations()
                    .Select(source => string.Create(CultureInfo.InvariantCulture, $"{source.Bytes}\t{source.Allocations}\t{source.Source}"));
                WriteAtomically(path + ".tracked", string.Join('\n', lines) + "\n");
                dumped = true;
            }

            Thread.Sleep(Interval);
        }
    }

    private static void WriteAtomically(string path, string text)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
