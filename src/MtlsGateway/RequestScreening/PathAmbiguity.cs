namespace MtlsGateway.RequestScreening;

/// <summary>
/// Why a request target is refused: a spelling of a path that an upstream may read as another path than the one the
/// gateway routes (and judges) it by. Wire codes and explanations: <see cref="PathAmbiguityCodes"/>.
/// </summary>
public enum PathAmbiguity
{
    /// <summary>Not an absolute path (origin-form) nor an http(s) absolute URI: <c>*</c>, <c>pay/x</c>, CONNECT targets.</summary>
    NotOriginForm,

    /// <summary>A <c>#</c>: request targets carry no fragment.</summary>
    Fragment,

    /// <summary>A <c>%</c> not followed by two hexadecimal digits (<c>%ZZ</c>, <c>%u002f</c>).</summary>
    MalformedEscape,

    /// <summary>A control character, raw or percent-encoded (NUL, CR, LF, DEL...).</summary>
    ControlCharacter,

    /// <summary>A character RFC 3986 does not allow unencoded in a path or query (space, <c>"</c>, <c>{</c>, non-ASCII...).</summary>
    InvalidCharacter,

    /// <summary>Two slashes in a row (<c>//pay/x</c>, <c>/pay//x</c>): many servers merge them.</summary>
    EmptySegment,

    /// <summary>A <c>.</c> or <c>..</c> segment, raw or percent-encoded (<c>%2e</c>, <c>.%2E</c>).</summary>
    DotSegment,

    /// <summary><c>%2F</c> or <c>%5C</c>: a separator for upstreams that decode before they split the path.</summary>
    EncodedSeparator,

    /// <summary>A raw <c>\</c>: a separator on Windows servers and in some frameworks.</summary>
    Backslash,

    /// <summary>A <c>;</c>, raw or as <c>%3B</c>: Tomcat, Jetty and others cut path parameters out of a segment.</summary>
    PathParameter,

    /// <summary><c>%3F</c> or <c>%23</c> in the path: where an upstream that decodes the whole target first cuts it.</summary>
    EncodedDelimiter,

    /// <summary>A percent-escape left after decoding once (<c>%252F</c>): an upstream that decodes twice reads another path.</summary>
    DoubleEncoding,

    /// <summary>Percent-encoded bytes that are not UTF-8, overlong forms (<c>%C0%AF</c>) and surrogates included.</summary>
    InvalidUtf8,

    /// <summary>A character that Unicode compatibility mapping turns into <c>/ \ . ; % ? #</c> (<c>U+FF0F</c>, <c>U+FF0E</c>...).</summary>
    LookalikeCharacter,
}
