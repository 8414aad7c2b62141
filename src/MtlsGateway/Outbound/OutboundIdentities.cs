using Microsoft.Extensions.Options;
using MtlsGateway.Hosting;
using MtlsGateway.Pkcs11.Identity;

namespace MtlsGateway.Outbound;

/// <summary>
/// Every configured outbound identity, by name: loaded and self-tested once at start-up (<see cref="LoadAll"/>), then
/// kept current by <see cref="OutboundIdentityMonitor"/> (a pulled token makes its identity unavailable; its return
/// reloads it). Names compare case-insensitively, like configuration keys.
/// </summary>
internal sealed partial class OutboundIdentities : IOutboundIdentityReadiness, IDisposable
{
    private readonly IReadOnlyList<OutboundIdentityDefinition> definitions;
    private readonly IServiceProvider services;
    private readonly FileIdentityLoading files;
    private readonly ILogger<OutboundIdentities> logger;
    private readonly Dictionary<string, OutboundIdentity> identities = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Pkcs11Identity> retired = [];
    private readonly Lock gate = new();

    public OutboundIdentities(IOptions<OutboundIdentitiesOptions> options, IHostEnvironment environment, IServiceProvider services, TimeProvider time, ILogger<OutboundIdentities> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        definitions = OutboundIdentityConfiguration.Read(options.Value, environment.ContentRootPath);
        this.services = services;
        files = new FileIdentityLoading(time);
        this.logger = logger;
        foreach (var definition in definitions)
        {
            identities[definition.Name] = new OutboundIdentity(definition);
        }
    }

    public IEnumerable<string> Names => definitions.Select(d => d.Name);

    public bool IsReady => Snapshot().All(identity => identity.IsAvailable);

    public IReadOnlyList<OutboundIdentityStatus> Statuses =>
        [.. Snapshot().Select(StatusOf)];

    public bool IsDefined(string name) => definitions.Any(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The identity of that name, loaded or not yet (YARP creates its clients before <see cref="LoadAll"/>).</summary>
    /// <exception cref="KeyNotFoundException">No identity of that name is configured.</exception>
    public OutboundIdentity Get(string name) =>
        identities.TryGetValue(name, out var identity) ? identity : throw new KeyNotFoundException($"no outbound identity named '{name}' is configured");

    /// <summary>Loads and self-tests every identity; the first failure stops start-up with one line naming it.</summary>
    /// <exception cref="GatewayConfigurationException">Keyed <c>Gateway:OutboundIdentities:&lt;name&gt;</c> (or a setting under it).</exception>
    public void LoadAll()
    {
        foreach (var identity in identities.Values.Where(identity => identity.Certificate is null))
        {
            switch (identity.Definition)
            {
                case TokenIdentityDefinition token:
                    LoadToken(identity, token);
                    break;
                case FileIdentityDefinition file:
                    LoadFile(identity, file);
                    break;
            }
        }
    }

    /// <summary>
    /// One round of the token watch: an identity whose token is gone turns unavailable; one whose token is back is
    /// loaded again (new login, new engine key) and swapped in. After a wrong PIN it is never retried.
    /// </summary>
    public void Probe(ITokenPresenceProbe probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        foreach (var identity in Snapshot())
        {
            if (identity.Definition is not TokenIdentityDefinition definition || identity.Token is not { } token || identity.ReloadBlocked)
            {
                continue;
            }

            if (!probe.IsTokenPresent(token))
            {
                if (identity.IsAvailable)
                {
                    identity.MarkUnavailable($"{token.Token} is not present (card pulled or HSM unreachable)");
                    LogTokenGone(identity.Name, token.Token);
                }

                continue;
            }

            if (!identity.IsAvailable)
            {
                Reload(identity, definition);
            }
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            foreach (var identity in identities.Values)
            {
                if (identity.Token is { } token)
                {
                    token.Dispose();
                }
                else
                {
                    identity.Certificate?.Dispose();
                }
            }

            foreach (var retired in retired)
            {
                retired.Dispose();
            }

            identities.Clear();
            retired.Clear();
        }
    }

    private void Reload(OutboundIdentity identity, TokenIdentityDefinition definition)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            var token = services.GetRequiredService<TokenIdentityLoading>().Load(definition);
            var previous = identity.Replace(token);
            lock (gate)
            {
                // Not disposed now: a handshake that started before the swap may still be using its certificate.
                if (previous is not null)
                {
                    retired.Add(previous);
                }
            }

            LogTokenBack(identity.Name, token.Description);
        }
        catch (OutboundIdentityException e) when (e.Failure is IdentityFailure.WrongPin or IdentityFailure.PinLocked)
        {
            var problem = Detail(e);
            identity.BlockReload(problem);
            LogReloadBlocked(identity.Name, problem);
        }
        catch (OutboundIdentityException e)
        {
            var problem = Detail(e);
            identity.MarkUnavailable(problem);
            LogReloadFailed(identity.Name, problem);
        }
        catch (GatewayConfigurationException e)
        {
            identity.MarkUnavailable(e.Message);
            LogReloadFailed(identity.Name, e.Message);
        }
    }

    private void LoadToken(OutboundIdentity identity, TokenIdentityDefinition definition)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new GatewayConfigurationException($"{definition.Key}:Pkcs11", "PKCS#11 identities are supported on Linux only");
        }

        WarnIfPinFileIsShared(definition.Pin);
        try
        {
            var token = services.GetRequiredService<TokenIdentityLoading>().Load(definition);
            LogLoaded(token.Description);
            identity.Loaded(token.Certificate, token);
        }
        catch (OutboundIdentityException e)
        {
            throw new GatewayConfigurationException(definition.Key, Detail(e), e);
        }
    }

    private void LoadFile(OutboundIdentity identity, FileIdentityDefinition definition)
    {
        var certificate = files.Load(definition);
        var subject = certificate.Subject;
        var notAfter = certificate.NotAfter.ToUniversalTime();
        LogFileLoaded(definition.Name, subject, notAfter, definition.CertificatePath);
        identity.Loaded(certificate, null);
    }

    private void WarnIfPinFileIsShared(PinSource pin)
    {
        const UnixFileMode shared = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
        if (OperatingSystem.IsWindows() || pin.FilePath is not { } path || !File.Exists(path))
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & shared) != 0)
        {
            LogPinFileShared(pin.Key, path, Convert.ToString((int)mode, 8));
        }
    }

    private static OutboundIdentityStatus StatusOf(OutboundIdentity identity)
    {
        var token = identity.Token?.Description;
        var certificate = identity.Certificate;
        return new OutboundIdentityStatus(
            identity.Name,
            identity.IsAvailable,
            identity.Problem,
            token?.Subject ?? certificate?.Subject,
            token?.NotAfter ?? (certificate is null ? null : new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero)),
            token?.TokenLabel,
            token?.TokenSerial);
    }

    private List<OutboundIdentity> Snapshot()
    {
        lock (gate)
        {
            return [.. identities.Values];
        }
    }

    // The loader's message starts "outbound identity '<name>': "; the key already names the identity.
    private static string Detail(OutboundIdentityException e)
    {
        var prefix = $"outbound identity '{e.Identity}': ";
        return e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message;
    }

    [LoggerMessage(EventId = EventIds.TokenIdentityLoaded, EventName = nameof(EventIds.TokenIdentityLoaded), Level = LogLevel.Information, Message = "{Description}")]
    private partial void LogLoaded(Pkcs11IdentityDescription description);

    [LoggerMessage(EventId = EventIds.FileIdentityLoaded, EventName = nameof(EventIds.FileIdentityLoaded), Level = LogLevel.Information, Message = "outbound identity '{Name}': software key, certificate '{Subject}' valid until {NotAfter:u} ({CertificatePath})")]
    private partial void LogFileLoaded(string name, string subject, DateTime notAfter, string certificatePath);

    [LoggerMessage(EventId = EventIds.PinFileShared, EventName = nameof(EventIds.PinFileShared), Level = LogLevel.Warning, Message = "{Key}: PIN file '{Path}' is readable or writable by group or others (mode {Mode}); restrict it to the gateway's user (chmod 0400)")]
    private partial void LogPinFileShared(string key, string path, string mode);

    [LoggerMessage(EventId = EventIds.TokenGone, EventName = nameof(EventIds.TokenGone), Level = LogLevel.Error, Message = "outbound identity '{Name}' unavailable: {Token} is not present; requests to its clusters fail with 502 until it is back")]
    private partial void LogTokenGone(string name, Pkcs11.Tokens.TokenSelector token);

    [LoggerMessage(EventId = EventIds.TokenRecovered, EventName = nameof(EventIds.TokenRecovered), Level = LogLevel.Information, Message = "outbound identity '{Name}' recovered: {Description}")]
    private partial void LogTokenBack(string name, Pkcs11IdentityDescription description);

    [LoggerMessage(EventId = EventIds.TokenIdentityNotReloaded, EventName = nameof(EventIds.TokenIdentityNotReloaded), Level = LogLevel.Error, Message = "outbound identity '{Name}' not reloaded: {Problem}; will try again while the token is present")]
    private partial void LogReloadFailed(string name, string problem);

    [LoggerMessage(EventId = EventIds.TokenIdentityReloadBlocked, EventName = nameof(EventIds.TokenIdentityReloadBlocked), Level = LogLevel.Critical, Message = "outbound identity '{Name}' not reloaded: {Problem}; not retried (a card locks after a few wrong PINs): fix the PIN and restart the gateway")]
    private partial void LogReloadBlocked(string name, string problem);
}
