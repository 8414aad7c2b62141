namespace MtlsGateway;

/// <summary>
/// Every log event id of the host, each with its name (the <c>EventName</c> of its log records), in one place. Ranges:
/// 1xxx client certificates, 2xxx authorization, 3xxx TLS, 4xxx outbound identities, 5xxx configuration,
/// 6xxx request screening.
/// </summary>
internal static class EventIds
{
    /// <summary>A client certificate was refused (reason, detail, subject, issuer, serial, thumbprint).</summary>
    public const int ClientCertificateRefused = 1001;

    /// <summary>A request arrived without a client certificate.</summary>
    public const int RequestWithoutClientCertificate = 1002;

    /// <summary>Certificate policy settings that are valid but may not do what the operator expects.</summary>
    public const int CertificatePolicySettingsWarning = 1003;

    /// <summary>Under Revocation Mode Require, a trust anchor no revocation source can answer for.</summary>
    public const int TrustAnchorWithoutRevocationSource = 1004;

    /// <summary>An authorization decision (route, policy, client).</summary>
    public const int AuthorizationDecided = 2001;

    /// <summary>A route names a policy a reload removed; its requests are refused.</summary>
    public const int RouteNamesUnknownPolicy = 2002;

    /// <summary>A policy reload did not validate; the last good policies stay.</summary>
    public const int AuthorizationPoliciesNotReloaded = 2003;

    /// <summary>An endpoint setting was overridden to mutual TLS 1.2/1.3.</summary>
    public const int KestrelEndpointSettingOverridden = 3001;

    /// <summary>A TLS handshake failed on the client's certificate (reason, detail, remote address, subject, issuer).</summary>
    public const int TlsHandshakeFailed = 3002;

    /// <summary>How many handshake failures the rate limit kept out of the log.</summary>
    public const int TlsHandshakeFailuresNotLogged = 3003;

    /// <summary>Kestrel settings changed while running; they apply at the next start.</summary>
    public const int KestrelSettingsNotReloaded = 3004;

    /// <summary>A configured server certificate is not valid yet (clients refuse it until then).</summary>
    public const int ServerCertificateNotYetValid = 3101;

    /// <summary>A token identity loaded and passed its self-test.</summary>
    public const int TokenIdentityLoaded = 4001;

    /// <summary>A software identity loaded and passed its self-test.</summary>
    public const int FileIdentityLoaded = 4002;

    /// <summary>A token went away; its identity is unavailable.</summary>
    public const int TokenGone = 4003;

    /// <summary>A token came back; its identity was reloaded.</summary>
    public const int TokenRecovered = 4004;

    /// <summary>Reloading a token identity failed; retried while the token is present.</summary>
    public const int TokenIdentityNotReloaded = 4005;

    /// <summary>Reloading a token identity met a wrong PIN; not retried.</summary>
    public const int TokenIdentityReloadBlocked = 4006;

    /// <summary>A PIN file is readable or writable by group or others.</summary>
    public const int PinFileShared = 4007;

    /// <summary>The periodic signing check got no valid signature.</summary>
    public const int TokenSigningCheckFailed = 4010;

    /// <summary>The periodic probe of the outbound identities failed unexpectedly; it runs again at the next interval.</summary>
    public const int OutboundIdentityProbeFailed = 4011;

    /// <summary>An upstream's server certificate was refused.</summary>
    public const int UpstreamCertificateRefused = 4101;

    /// <summary>A request was not sent: its cluster's outbound identity is unavailable.</summary>
    public const int RequestNotSentIdentityUnavailable = 4201;

    /// <summary>A configuration reload brought an unknown key and was refused.</summary>
    public const int ConfigurationReloadRefused = 5001;

    /// <summary>A settings file could not be reloaded (broken or gone); its last good settings stay.</summary>
    public const int SettingsFileNotReloaded = 5002;

    /// <summary>The admin listener started (its address and endpoints).</summary>
    public const int AdminListening = 5101;

    /// <summary>The admin listener is turned off by configuration.</summary>
    public const int AdminDisabled = 5102;

    /// <summary>A request target was refused as ambiguous (reason, target escaped, subject, remote address, trace id).</summary>
    public const int AmbiguousPathRefused = 6001;

    /// <summary>A request header was removed before forwarding (a client-identity header, or a name holding '_'); debug level.</summary>
    public const int RequestHeaderRemoved = 6002;
}
