namespace MtlsGateway.Validation.Revocation.Fetching;

public sealed record ParsedCrl<TCrl>(TCrl Crl, DateTimeOffset NextUpdate)
    where TCrl : class;
