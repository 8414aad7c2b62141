namespace MtlsGateway.Validation.Certificates;

/// <summary>The object identifiers the gateway names in more than one place, written once.</summary>
public static class Oids
{
    /// <summary>id-kp-clientAuth (extendedKeyUsage).</summary>
    public const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    /// <summary>id-kp-serverAuth (extendedKeyUsage).</summary>
    public const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    /// <summary>The subjectAltName extension.</summary>
    public const string SubjectAlternativeName = "2.5.29.17";
    public const string BasicConstraints = "2.5.29.19";
    public const string KeyUsage = "2.5.29.15";
    public const string ExtendedKeyUsage = "2.5.29.37";
    public const string SubjectKeyIdentifier = "2.5.29.14";
    public const string AuthorityKeyIdentifier = "2.5.29.35";

    /// <summary>Name attributes: commonName, organizationName, organizationalUnitName.</summary>
    public const string CommonName = "2.5.4.3";

    public const string Organization = "2.5.4.10";

    public const string OrganizationalUnit = "2.5.4.11";
}
