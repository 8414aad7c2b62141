using System.Security.Cryptography;
using System.Text;
using MtlsGateway.Hosting;

namespace MtlsGateway.Outbound;

/// <summary>
/// Where a token PIN comes from: a file or an environment variable, never the configuration itself. The PIN is read
/// into a byte array the caller zeroes after use; messages name the setting, never the content.
/// </summary>
/// <param name="Key">The setting to name in messages (a configuration key or a command-line option).</param>
internal sealed record PinSource(string Key, string? FilePath, string? EnvironmentVariable)
{
    /// <summary>The PIN with one trailing newline (LF or CRLF) removed, as editors and `echo` add one.</summary>
    /// <exception cref="GatewayConfigurationException">The source is missing, unreadable or empty.</exception>
    public byte[] Read()
    {
        byte[] raw;
        if (FilePath is not null)
        {
            try
            {
                raw = File.ReadAllBytes(FilePath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The exception message names the path only; still, say it in our own words.
                throw new GatewayConfigurationException(Key, $"PIN file '{FilePath}' cannot be read ({e.GetType().Name})");
            }
        }
        else if (EnvironmentVariable is not null)
        {
            // .NET strings cannot be zeroed; the variable's value lives in the process environment anyway.
            var value = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (value is null)
            {
                throw new GatewayConfigurationException(Key, $"environment variable '{EnvironmentVariable}' is not set");
            }

            raw = Encoding.UTF8.GetBytes(value);
        }
        else
        {
            throw new GatewayConfigurationException(Key, "no PIN source configured");
        }

        var pin = TrimOneNewline(raw);
        if (pin.Length == 0)
        {
            throw new GatewayConfigurationException(Key, FilePath is not null ? $"PIN file '{FilePath}' is empty" : $"environment variable '{EnvironmentVariable}' is empty");
        }

        return pin;
    }

    private static byte[] TrimOneNewline(byte[] raw)
    {
        var length = raw.Length;
        if (length > 0 && raw[length - 1] == (byte)'\n')
        {
            length--;
            if (length > 0 && raw[length - 1] == (byte)'\r')
            {
                length--;
            }
        }

        if (length == raw.Length)
        {
            return raw;
        }

        var pin = raw.AsSpan(0, length).ToArray();
        CryptographicOperations.ZeroMemory(raw);
        return pin;
    }
}
