using Microsoft.Extensions.Options;

namespace MtlsGateway.Settings;

/// <summary>
/// An options monitor's value that outlives a broken reload. The monitor rebinds from the live configuration, so after
/// a reload the gateway refused (a TimeSpan written "5m"), reading it throws: code that runs per connection keeps the
/// last good values instead, as the rest of the gateway does, rather than failing every new handshake.
/// </summary>
internal sealed class LastGoodOptions<T>
    where T : class
{
    private readonly IOptionsMonitor<T> monitor;
    private T lastGood;

    public LastGoodOptions(IOptionsMonitor<T> monitor)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        this.monitor = monitor;
        lastGood = monitor.CurrentValue;
    }

    public T Current
    {
        get
        {
            try
            {
                return lastGood = monitor.CurrentValue;
            }
            catch (Exception e) when (e is InvalidOperationException or OptionsValidationException or FormatException or ArgumentException)
            {
                return lastGood;
            }
        }
    }
}
