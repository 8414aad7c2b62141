namespace MtlsGateway.Validation.Revocation.Fetching;

/// <summary>
/// The seam to CRL parsing: reads a downloaded CRL once (per download, never per request) into the form the
/// <see cref="CrlLookup{TCrl}"/> judges with, together with its nextUpdate. Returns null when the bytes are not a usable
/// CRL (unparseable, no nextUpdate). Signature and issuer checks belong to the lookup, which knows the path.
/// </summary>
public delegate ParsedCrl<TCrl>? CrlReader<TCrl>(ReadOnlyMemory<byte> crlDer)
    where TCrl : class;
