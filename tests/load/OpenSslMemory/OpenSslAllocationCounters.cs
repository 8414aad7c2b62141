using System.Reflection;

namespace MtlsGateway.OpenSslMemory;

/// <summary>
/// .NET's own OpenSSL allocation counters. With DOTNET_OPENSSL_MEMORY_DEBUG=1 set before the process starts, .NET's
/// native layer installs allocation hooks in OpenSSL that count live bytes and, once tracking is on, remember each
/// allocation's source line. The managed entry points are internal (System.Security.Cryptography's Interop.Crypto),
/// so this reads them through reflection: a diagnostic that may break with any .NET release, which is why it is a
/// benchmark tool and nothing the gateway loads.
/// </summary>
internal sealed class OpenSslAllocationCounters
{
    private const BindingFlags Internal = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;

    private readonly MethodInfo allocatedBytes;
    private readonly MethodInfo allocationCount;
    private readonly MethodInfo enableTracking;
    private readonly MethodInfo forEachTracked;

    private OpenSslAllocationCounters(MethodInfo allocatedBytes, MethodInfo allocationCount, MethodInfo enableTracking, MethodInfo forEachTracked)
    {
        this.allocatedBytes = allocatedBytes;
        this.allocationCount = allocationCount;
        this.enableTracking = enableTracking;
        this.forEachTracked = forEachTracked;
    }

    /// <summary>The counters, or null with the reason when this .NET does not have them under the expected names.</summary>
    public static OpenSslAllocationCounters? Find(out string problem)
    {
        var crypto = typeof(System.Security.Cryptography.ECDsa).Assembly.GetType("Interop+Crypto");
        var methods = crypto?.GetMethods(Internal) ?? [];
        var bytes = methods.FirstOrDefault(m => m.Name == "GetOpenSslAllocatedMemory" && m.GetParameters().Length == 0);
        var count = methods.FirstOrDefault(m => m.Name == "GetOpenSslAllocationCount" && m.GetParameters().Length == 0);
        var enable = methods.FirstOrDefault(m => m.Name == "EnableMemoryTracking" && m.GetParameters().Length == 0);
        var forEach = methods.FirstOrDefault(m => m.Name == "ForEachTrackedAllocation"
            && m.GetParameters() is [{ ParameterType: var callback }] && callback == typeof(Action<IntPtr, ulong, IntPtr, int>));
        if (bytes is null || count is null || enable is null || forEach is null)
        {
            problem = "this .NET has no Interop.Crypto allocation counters under the expected names";
            return null;
        }

        problem = string.Empty;
        return new OpenSslAllocationCounters(bytes, count, enable, forEach);
    }

    public long AllocatedBytes => Convert.ToInt64(allocatedBytes.Invoke(null, null), System.Globalization.CultureInfo.InvariantCulture);

    public long AllocationCount => Convert.ToInt64(allocationCount.Invoke(null, null), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>From now on, every allocation is remembered with its source line until it is freed.</summary>
    public void StartTracking() => enableTracking.Invoke(null, null);

    /// <summary>The live allocations made since tracking started, summed per OpenSSL source line.</summary>
    public IReadOnlyList<TrackedSource> LiveTrackedAllocations()
    {
        var sums = new Dictionary<string, TrackedSource>(StringComparer.Ordinal);
        var callback = new Action<IntPtr, ulong, IntPtr, int>((_, size, file, line) =>
        {
            var source = $"{System.Runtime.InteropServices.Marshal.PtrToStringUTF8(file) ?? "?"}:{line}";
            sums.TryGetValue(source, out var sum);
            sums[source] = new TrackedSource(source, (sum?.Bytes ?? 0) + (long)size, (sum?.Allocations ?? 0) + 1);
        });
        forEachTracked.Invoke(null, [callback]);
        return [.. sums.Values.OrderByDescending(source => source.Bytes)];
    }
}
