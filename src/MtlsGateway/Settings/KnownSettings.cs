using System.Globalization;
using MtlsGateway.Hosting;
using Yarp.ReverseProxy.Configuration;

namespace MtlsGateway.Settings;

/// <summary>
/// Every key under <c>Gateway</c>, <c>Kestrel:Endpoints</c>, <c>Kestrel:Certificates</c>, <c>Kestrel:Limits</c> and <c>ReverseProxy</c> must be one the gateway
/// knows: a misspelt setting is an error, never a silent default (a misspelt <c>Authorization</c> section would
/// otherwise admit every validated client). The known keys come from the options types the features bind, and from
/// YARP's own configuration model (RouteConfig, ClusterConfig and their nested types; Metadata and Transforms are
/// free-form). Keys compare case-insensitively, as configuration does. Each single value must also convert to its
/// property's type as the configuration binder converts it (<see cref="SettingValues"/>), so a value the binder would
/// fail on is one line naming the key and what is expected, at start-up and on reload alike.
/// </summary>
internal sealed class KnownSettings
{
    private readonly List<(string Path, SettingShape Shape)> roots;

    public KnownSettings(IEnumerable<KnownSettingsSection> sections)
    {
        ArgumentNullException.ThrowIfNull(sections);
        var gateway = SettingShape.Section([]);
        foreach (var section in sections)
        {
            var segments = section.Path.Split(':');
            if (segments[0] != GatewaySection)
            {
                throw new ArgumentException($"{section.Path}: not under {GatewaySection}", nameof(sections));
            }

            var shape = SettingShape.Of(section.OptionsType);
            var parent = gateway;
            foreach (var segment in segments.Skip(1).SkipLast(1))
            {
                if (!parent.Children.TryGetValue(segment, out var child))
                {
                    child = SettingShape.Section([]);
                    parent.Children[segment] = child;
                }

                parent = child;
            }

            if (segments.Length == 1)
            {
                gateway.MergeFrom(shape);
            }
            else if (parent.Children.TryGetValue(segments[^1], out var existing) && existing.Kind == SettingKind.Section && shape.Kind == SettingKind.Section)
            {
                existing.MergeFrom(shape);
            }
            else
            {
                // Named entries (a dictionary of identities, say) take the place of whatever stood there.
                parent.Children[segments[^1]] = shape;
            }
        }

        roots =
        [
            (GatewaySection, gateway),
            ("Kestrel:Endpoints", SettingShape.NamedEntries(KestrelEndpoint)),
            ("Kestrel:Certificates", SettingShape.NamedEntries(SettingShape.Of(typeof(Tls.ServerCertificateOptions)))),
            // The data rates are get-only objects the binder cannot fill: a value there would be silently ignored, so it is unknown.
            (KestrelLimitsSetup.SectionName, SettingShape.Of(typeof(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerLimits), "MinRequestBodyDataRate", "MinResponseDataRate")),
            ("ReverseProxy", SettingShape.Section(
            [
                KeyValuePair.Create("Routes", SettingShape.NamedEntries(SettingShape.Of(typeof(RouteConfig), nameof(RouteConfig.RouteId)))),
                KeyValuePair.Create("Clusters", SettingShape.NamedEntries(SettingShape.Of(typeof(ClusterConfig), nameof(ClusterConfig.ClusterId)))),
            ])),
        ];
    }

    public const string GatewaySection = "Gateway";

    /// <summary>Kestrel's endpoint settings (its configuration types are internal, so they are listed here).</summary>
    private static SettingShape KestrelEndpoint
    {
        get
        {
            var certificate = SettingShape.Of(typeof(Tls.ServerCertificateOptions));
            KeyValuePair<string, SettingShape>[] tls =
            [
                KeyValuePair.Create("Protocols", SettingShape.ValueOf(typeof(Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols))),
                KeyValuePair.Create("SslProtocols", SettingShape.List(SettingShape.ValueOf(typeof(System.Security.Authentication.SslProtocols)))),
                KeyValuePair.Create("ClientCertificateMode", SettingShape.ValueOf(typeof(Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode))),
                KeyValuePair.Create("Certificate", certificate),
            ];
            return SettingShape.Section([.. tls, KeyValuePair.Create("Url", SettingShape.Value), KeyValuePair.Create("Sni", SettingShape.NamedEntries(SettingShape.Section(tls)))]);
        }
    }

    /// <summary>The first unknown or misshapen key, as one line naming it; null when every key is known.</summary>
    public SettingProblem? Problem(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (DuplicateJsonKeys.Find(configuration) is { } duplicate)
        {
            return duplicate;
        }

        foreach (var (path, shape) in roots)
        {
            if (Check(configuration.GetSection(path), shape) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    /// <exception cref="GatewayConfigurationException">Naming the first unknown or misshapen key.</exception>
    public void Verify(IConfiguration configuration)
    {
        if (Problem(configuration) is { } problem)
        {
            throw new GatewayConfigurationException(problem.Key, problem.Problem);
        }
    }

    private static SettingProblem? Check(IConfigurationSection section, SettingShape shape)
    {
        var children = section.GetChildren().ToList();
        var hasValue = !string.IsNullOrEmpty(section.Value);
        switch (shape.Kind)
        {
            case SettingKind.Any:
                return null;
            case SettingKind.Value:
                if (children.Count > 0)
                {
                    return new SettingProblem(Display(section.Path), "expected a single value, got a section of settings");
                }

                return section.Value is { } value && SettingValues.Problem(value, shape.ValueType!) is { } valueProblem
                    ? new SettingProblem(Display(section.Path), valueProblem)
                    : null;
            case SettingKind.List:
                if (hasValue && children.Count == 0)
                {
                    return new SettingProblem(Display(section.Path), "expected a list ([ ... ]), got a single value");
                }

                if (children.FirstOrDefault(child => !IsIndex(child.Key)) is { } named)
                {
                    return new SettingProblem(Display(named.Path), $"expected a list ([ ... ]) at {Display(section.Path)}, got a named setting");
                }

                return children.Select(child => Check(child, shape.Item!)).FirstOrDefault(problem => problem is not null);
            case SettingKind.NamedEntries:
                if (hasValue && children.Count == 0)
                {
                    return new SettingProblem(Display(section.Path), "expected a section of named entries, got a single value");
                }

                return children.Select(child => Check(child, shape.Item!)).FirstOrDefault(problem => problem is not null);
            default:
                if (hasValue && children.Count == 0)
                {
                    return new SettingProblem(Display(section.Path), $"expected a section of settings ({KnownKeys(shape)}), got a single value");
                }

                if (children.Count > 0 && children.All(child => IsIndex(child.Key)))
                {
                    return new SettingProblem(Display(section.Path), $"expected a section of settings ({KnownKeys(shape)}), got a list");
                }

                foreach (var child in children)
                {
                    if (!shape.Children.TryGetValue(child.Key, out var childShape))
                    {
                        return Unknown(section.Path, child, shape);
                    }

                    if (Check(child, childShape) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
        }
    }

    private static SettingProblem Unknown(string parent, IConfigurationSection child, SettingShape shape)
    {
        var whitespace = child.Key.Length != child.Key.Trim().Length ? " (the name has leading or trailing white space)" : string.Empty;
        return EditDistance.Closest(child.Key, shape.Children.Keys) is { } closest
            ? new SettingProblem(Display(child.Path), $"unknown setting{whitespace}; did you mean {parent}:{closest}?")
            : new SettingProblem(Display(child.Path), $"unknown setting{whitespace}");
    }

    private static string KnownKeys(SettingShape shape) => string.Join(", ", shape.Children.Keys.Order(StringComparer.Ordinal));

    private static bool IsIndex(string key) => int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out _);

    /// <summary>A key with white space at either end is quoted, so the reader sees it.</summary>
    private static string Display(string path) => path.Split(':').Any(segment => segment.Length != segment.Trim().Length) ? $"'{path}'" : path;
}
