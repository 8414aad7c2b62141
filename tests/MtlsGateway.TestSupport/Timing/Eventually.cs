using System.Diagnostics;
using Xunit;

namespace MtlsGateway.TestSupport.Timing;

/// <summary>
/// Waits, within a generous bound, for something done in the background (a reload, a probe, an export): tests never
/// depend on how fast a shared machine is.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultLimit = TimeSpan.FromSeconds(15);

    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var limit = within ?? DefaultLimit;
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < limit, $"Waited {limit.TotalSeconds:0} s for {what}.");
            await Task.Delay(50);
        }
    }

    public static Task HoldsAsync(Func<bool> condition, string what, TimeSpan? within = null) =>
        HoldsAsync(() => Task.FromResult(condition()), what, within);

    /// <summary>Polls until <paramref name="accept"/> takes a value, and returns that value.</summary>
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> poll, Func<T, bool> accept, string what, TimeSpan? within = null)
    {
        ArgumentNullException.ThrowIfNull(poll);
        ArgumentNullException.ThrowIfNull(accept);
        var limit = within ?? DefaultLimit;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await poll();
            if (accept(value))
            {
                return value;
            }

            Assert.True(clock.Elapsed < limit, $"Waited {limit.TotalSeconds:0} s for {what}; last seen: {value}");
            await Task.Delay(50);
        }
    }
}
