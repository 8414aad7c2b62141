namespace MtlsGateway.Validation.Certificates;

/// <summary>The object identifiers the gateway names in more than one place, written once.</summary>
public static class Oids
{
    /// <summary>id-kp-clientAuth (extendedKeyUsage).</summary>
    public const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    /// <summary>id-kp-serverAuth (extendedKeyUsage).</summary>
    public const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    /// <summary>anyExtendedKeyUsage: the certificate may be used for any purpose.</summary>
    public const string AnyExtendedKeyUsage = "2.5.29.37.0";

    /// <summary>The subjectAltName extension.</summary>
    public const string SubjectAlternativeName = "2.5.29.17";
    public const string BasicConstraints = "2.5.29.19";
    public const string KeyUsage = "2.5.29.15";
    public const string ExtendedKeyUsage = "2.5.29.37";
    public const string SubjectKeyIdentifier = "2.5.29.14";
    public const string AuthorityKeyIdentifier = "2.5.29.35";
    public const string NameConstraints = "2.5.29.30";
    public const string CrlDistributionPoints = "2.5.29.31";
    public const string FreshestCrl = "2.5.29.46";
    public const string AuthorityInformationAccess = "1.3.6.1.5.5.7.1.1";

    /// <summary>CRL and CRL entry extensions.</summary>
    public const string CrlNumber = "2.5.29.20";
    public const string CrlReason = "2.5.29.21";
    public const string InvalidityDate = "2.5.29.24";
    public const string DeltaCrlIndicator = "2.5.29.27";
    public const string IssuingDistributionPoint = "2.5.29.28";

    /// <summary>Name attributes: commonName, organizationName, organizationalUnitName.</summary>
    public const string CommonName = "2.5.4.3";

    public const string Organization = "2.5.4.10";

    public const string OrganizationalUnit = "2.5.4.11";
}
