namespace MtlsGateway.TestSupport.Pki;

/// <summary>The object identifiers the tests name, in one place.</summary>
public static class Oids
{
    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    public const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    public const string OcspSigning = "1.3.6.1.5.5.7.3.9";
    public const string AnyExtendedKeyUsage = "2.5.29.37.0";
    public const string AnyPolicy = "2.5.29.32.0";

    public const string BasicConstraints = "2.5.29.19";
    public const string KeyUsage = "2.5.29.15";
    public const string ExtendedKeyUsage = "2.5.29.37";
    public const string SubjectAlternativeName = "2.5.29.17";
    public const string NameConstraints = "2.5.29.30";
    public const string CertificatePolicies = "2.5.29.32";
    public const string PolicyMappings = "2.5.29.33";
    public const string PolicyConstraints = "2.5.29.36";
    public const string InhibitAnyPolicy = "2.5.29.54";
    public const string CrlNumber = "2.5.29.20";
    public const string CrlReason = "2.5.29.21";
    public const string InvalidityDate = "2.5.29.24";
    public const string DeltaCrlIndicator = "2.5.29.27";
    public const string IssuingDistributionPoint = "2.5.29.28";
    public const string CertificateIssuer = "2.5.29.29";
    public const string CrlDistributionPoints = "2.5.29.31";
    public const string FreshestCrl = "2.5.29.46";
    public const string AuthorityKeyIdentifier = "2.5.29.35";

    /// <summary>The NIST test policy arc of PKITS: 2.16.840.1.101.3.2.1.48.N.</summary>
    public static string TestPolicy(int n) => $"2.16.840.1.101.3.2.1.48.{n}";

    /// <summary>A private-arc OID no implementation knows, for "unknown extension" tests.</summary>
    public const string Unknown = "1.3.6.1.4.1.99999.1";
}
