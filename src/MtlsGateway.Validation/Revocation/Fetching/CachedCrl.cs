namespace MtlsGateway.Validation.Revocation.Fetching;

/// <summary>A downloaded CRL as cached: raw DER (what the disk cache keeps), the parsed form, its nextUpdate and when it was retrieved.</summary>
public sealed record CachedCrl<TCrl>(Uri Url, byte[] Der, TCrl Crl, DateTimeOffset NextUpdate, DateTimeOffset RetrievedAt)
    where TCrl : class;
