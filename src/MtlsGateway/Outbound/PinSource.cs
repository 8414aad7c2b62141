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
    /// <summary>
    /// The longest PIN accepted, in bytes. Tokens take far shorter ones (CK_TOKEN_INFO.ulMaxPinLen is typically 8 to
    /// 64); anything longer is a wrong file (a key, a certificate, /dev/zero), not a PIN, and is not read further.
    /// </summary>
    public const int MaxPinBytes = 256;

    /// <summary>The PIN with one trailing newline (LF or CRLF) removed, as editors and `echo` add one.</summary>
    /// <exception cref="GatewayConfigurationException">The source is missing, unreadable, empty or oversized.</exception>
    public byte[] Read()
    {
        byte[] raw;
        if (FilePath is not null)
        {
            raw = ReadFile(FilePath);
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

        if (pin.Length > MaxPinBytes)
        {
            CryptographicOperations.ZeroMemory(pin);
            throw new GatewayConfigurationException(Key, $"{Source()} holds more than {MaxPinBytes} bytes: not a PIN");
        }

        return pin;
    }

    private string Source() => FilePath is not null ? $"PIN file '{FilePath}'" : $"environment variable '{EnvironmentVariable}'";

    // Reads at most MaxPinBytes plus a CRLF and one byte more (to notice an oversized file), without a stream buffer
    // that would keep an unzeroed copy of the PIN.
    private byte[] ReadFile(string path)
    {
        var buffer = new byte[MaxPinBytes + 3];
        var length = 0;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
            int read;
            while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
            {
                length += read;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            CryptographicOperations.ZeroMemory(buffer);

            // The exception message names the path only; still, say it in our own words.
            throw new GatewayConfigurationException(Key, $"PIN file '{path}' cannot be read ({e.GetType().Name})");
        }

        if (length == buffer.Length)
        {
            CryptographicOperations.ZeroMemory(buffer);
            throw new GatewayConfigurationException(Key, $"PIN file '{path}' holds more than {MaxPinBytes} bytes: not a PIN");
        }

        var raw = buffer.AsSpan(0, length).ToArray();
        CryptographicOperations.ZeroMemory(buffer);
        return raw;
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
