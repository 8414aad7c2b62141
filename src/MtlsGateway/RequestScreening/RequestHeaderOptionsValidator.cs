using System.Buffers;
using Microsoft.Extensions.Options;

namespace MtlsGateway.RequestScreening;

/// <summary>Each <c>Gateway:ClientIdentityHeaders</c> entry is a header name (an RFC 9110 token) or a non-empty prefix followed by one '*'.</summary>
internal sealed class RequestHeaderOptionsValidator : IValidateOptions<RequestHeaderOptions>
{
    /// <summary>RFC 9110 tchar, without '*' (reserved here for the trailing wildcard).</summary>
    private static readonly SearchValues<char> TokenCharacters =
        SearchValues.Create("!#$%&'+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    public ValidateOptionsResult Validate(string? name, RequestHeaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        for (var i = 0; i < options.ClientIdentityHeaders.Count; i++)
        {
            var entry = options.ClientIdentityHeaders[i] ?? string.Empty;
            var stem = entry.EndsWith('*') ? entry[..^1] : entry;
            if (stem.Length == 0 || stem.AsSpan().ContainsAnyExcept(TokenCharacters))
            {
                failures.Add($"{RequestHeaderOptions.SectionName}:{nameof(options.ClientIdentityHeaders)}:{i}: '{entry}' is not a header name, nor a header name prefix followed by one '*'");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
