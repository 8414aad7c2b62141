namespace MtlsGateway.RequestScreening;

/// <summary>The fixed wire codes of <see cref="PathAmbiguity"/> (problem+json <c>reason</c>, logs, metrics) and what each means.</summary>
public static class PathAmbiguityCodes
{
    public static string ToCode(this PathAmbiguity ambiguity) => ambiguity switch
    {
        PathAmbiguity.NotOriginForm => "not-origin-form",
        PathAmbiguity.Fragment => "fragment",
        PathAmbiguity.MalformedEscape => "malformed-escape",
        PathAmbiguity.ControlCharacter => "control-character",
        PathAmbiguity.InvalidCharacter => "invalid-character",
        PathAmbiguity.EmptySegment => "empty-segment",
        PathAmbiguity.DotSegment => "dot-segment",
        PathAmbiguity.EncodedSeparator => "encoded-separator",
        PathAmbiguity.Backslash => "backslash",
        PathAmbiguity.PathParameter => "path-parameter",
        PathAmbiguity.EncodedDelimiter => "encoded-delimiter",
        PathAmbiguity.DoubleEncoding => "double-encoding",
        PathAmbiguity.InvalidUtf8 => "invalid-utf8",
        PathAmbiguity.LookalikeCharacter => "lookalike-character",
        _ => throw new ArgumentOutOfRangeException(nameof(ambiguity), ambiguity, null),
    };

    /// <summary>One sentence for the client: what in its request target is refused (never the target itself).</summary>
    public static string Describe(this PathAmbiguity ambiguity) => ambiguity switch
    {
        PathAmbiguity.NotOriginForm => "the request target is neither an absolute path nor an http(s) URI",
        PathAmbiguity.Fragment => "the request target holds a '#': a fragment is never part of a request",
        PathAmbiguity.MalformedEscape => "the request target holds a '%' that is not followed by two hexadecimal digits",
        PathAmbiguity.ControlCharacter => "the request target holds a control character, raw or percent-encoded",
        PathAmbiguity.InvalidCharacter => "the request target holds a character that must be percent-encoded",
        PathAmbiguity.EmptySegment => "the path holds an empty segment ('//')",
        PathAmbiguity.DotSegment => "the path holds a '.' or '..' segment, raw or percent-encoded",
        PathAmbiguity.EncodedSeparator => "the path holds a percent-encoded '/' or '\\' (%2F, %5C)",
        PathAmbiguity.Backslash => "the path holds a '\\'",
        PathAmbiguity.PathParameter => "the path holds a ';' (a path parameter), raw or as %3B",
        PathAmbiguity.EncodedDelimiter => "the path holds a percent-encoded '?' or '#' (%3F, %23)",
        PathAmbiguity.DoubleEncoding => "the path is percent-encoded twice (a '%25' that starts another escape)",
        PathAmbiguity.InvalidUtf8 => "percent-encoded bytes in the path are not valid UTF-8 (overlong forms included)",
        PathAmbiguity.LookalikeCharacter => "the path holds a character that Unicode compatibility mapping turns into / \\ . ; % ? or #",
        _ => throw new ArgumentOutOfRangeException(nameof(ambiguity), ambiguity, null),
    };
}
