using System.Diagnostics;

namespace MtlsGateway.IntegrationTests.Harness;

/// <summary>Waits, within a bound, for something a running gateway does in the background (a reload, a probe).</summary>
internal static class Eventually
{
    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var limit = within ?? TimeSpan.FromSeconds(15);
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < limit, $"Waited {limit.TotalSeconds:0} s for {what}.");
            await Task.Delay(50);
        }
    }

    public static Task HoldsAsync(Func<bool> condition, string what, TimeSpan? within = null) =>
        HoldsAsync(() => Task.FromResult(condition()), what, within);
}
