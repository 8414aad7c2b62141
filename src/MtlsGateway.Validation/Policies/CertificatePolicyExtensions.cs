using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsGateway.Validation.Policies;

/// <summary>
/// The policy extensions of one certificate (RFC 5280 4.2.1.4, 4.2.1.5, 4.2.1.11, 4.2.1.14), read with
/// System.Formats.Asn1 because .NET has no reader for them. A malformed or repeated policy extension makes the
/// certificate unusable whether or not it is marked critical: a constraint that cannot be read cannot be honoured.
/// </summary>
public sealed class CertificatePolicyExtensions
{
    private static readonly byte[] CertificatePoliciesOid = [0x06, 0x03, 0x55, 0x1D, 0x20];
    private static readonly byte[] PolicyMappingsOid = [0x06, 0x03, 0x55, 0x1D, 0x21];
    private static readonly byte[] PolicyConstraintsOid = [0x06, 0x03, 0x55, 0x1D, 0x24];
    private static readonly byte[] InhibitAnyPolicyOid = [0x06, 0x03, 0x55, 0x1D, 0x36];

    /// <summary>A certificate without any policy extension.</summary>
    public static readonly CertificatePolicyExtensions None = new(null, null, null, null, null);

    private CertificatePolicyExtensions(
        IReadOnlyList<string>? policies, IReadOnlyList<PolicyMapping>? mappings, int? requireExplicitPolicy, int? inhibitPolicyMapping, int? inhibitAnyPolicy)
    {
        Policies = policies;
        Mappings = mappings;
        RequireExplicitPolicy = requireExplicitPolicy;
        InhibitPolicyMapping = inhibitPolicyMapping;
        InhibitAnyPolicy = inhibitAnyPolicy;
    }

    /// <summary>The policy identifiers of certificatePolicies, in order; null when the certificate has no such extension.</summary>
    public IReadOnlyList<string>? Policies { get; }

    /// <summary>The pairs of policyMappings; null when the certificate has no such extension.</summary>
    public IReadOnlyList<PolicyMapping>? Mappings { get; }

    /// <summary>policyConstraints requireExplicitPolicy (SkipCerts), when present.</summary>
    public int? RequireExplicitPolicy { get; }

    /// <summary>policyConstraints inhibitPolicyMapping (SkipCerts), when present.</summary>
    public int? InhibitPolicyMapping { get; }

    /// <summary>inhibitAnyPolicy (SkipCerts), when present.</summary>
    public int? InhibitAnyPolicy { get; }

    /// <summary>Whether any policy extension is present (and worth the extension parse).</summary>
    public bool IsEmpty => Policies is null && Mappings is null && RequireExplicitPolicy is null && InhibitPolicyMapping is null && InhibitAnyPolicy is null;

    /// <summary>Whether the certificate carries policyConstraints or inhibitAnyPolicy, which make the skip counts matter.</summary>
    public bool HasSkipCounts => RequireExplicitPolicy is not null || InhibitPolicyMapping is not null || InhibitAnyPolicy is not null;

    /// <exception cref="FormatException">A policy extension is malformed or appears more than once; the message says which.</exception>
    public static CertificatePolicyExtensions Read(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);

        // In DER these OIDs can only be encoded one way (06 03 55 1D xx): a certificate whose bytes hold none of them
        // has none of the extensions, and most certificates are judged without parsing their extensions again.
        var der = certificate.RawDataMemory.Span;
        if (der.IndexOf(CertificatePoliciesOid) < 0 && der.IndexOf(PolicyMappingsOid) < 0 && der.IndexOf(PolicyConstraintsOid) < 0 && der.IndexOf(InhibitAnyPolicyOid) < 0)
        {
            return None;
        }

        IReadOnlyList<string>? policies = null;
        IReadOnlyList<PolicyMapping>? mappings = null;
        (int? RequireExplicit, int? InhibitMapping)? constraints = null;
        int? inhibitAnyPolicy = null;
        var seen = 0;
        foreach (var extension in certificate.Extensions)
        {
            var (bit, name) = extension.Oid?.Value switch
            {
                CertificatePolicyOids.CertificatePolicies => (1, "certificatePolicies"),
                CertificatePolicyOids.PolicyMappings => (2, "policyMappings"),
                CertificatePolicyOids.PolicyConstraints => (4, "policyConstraints"),
                CertificatePolicyOids.InhibitAnyPolicy => (8, "inhibitAnyPolicy"),
                _ => (0, string.Empty),
            };
            if (bit == 0)
            {
                continue;
            }

            if ((seen & bit) != 0)
            {
                // RFC 5280 4.2: a certificate MUST NOT include more than one instance of an extension. Which one would
                // count is exactly what an attacker would like to choose.
                throw new FormatException($"its {name} extension appears more than once");
            }

            seen |= bit;
            try
            {
                var value = extension.RawData;
                switch (bit)
                {
                    case 1:
                        policies = ReadPolicies(value);
                        break;
                    case 2:
                        mappings = ReadMappings(value);
                        break;
                    case 4:
                        constraints = ReadConstraints(value);
                        break;
                    default:
                        inhibitAnyPolicy = ReadSkipCerts(new AsnReader(value, AsnEncodingRules.DER), Asn1Tag.Integer, whole: true);
                        break;
                }
            }
            catch (Exception e) when (e is AsnContentException or CryptographicException or ArgumentException or InvalidOperationException)
            {
                throw new FormatException($"its {name} extension is malformed ({Reason(e)})", e);
            }
        }

        return seen == 0
            ? None
            : new CertificatePolicyExtensions(policies, mappings, constraints?.RequireExplicit, constraints?.InhibitMapping, inhibitAnyPolicy);
    }

    private static string[] ReadPolicies(byte[] value)
    {
        var outer = new AsnReader(value, AsnEncodingRules.DER);
        var sequence = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        var policies = new List<string>();
        while (sequence.HasData)
        {
            var information = sequence.ReadSequence();
            var policy = information.ReadObjectIdentifier();
            if (information.HasData)
            {
                // The qualifiers (CPS pointers, user notices) are for display and are not interpreted, but their
                // structure must hold: SEQUENCE SIZE (1..MAX) OF SEQUENCE { OID, ANY }.
                var qualifiers = information.ReadSequence();
                if (!qualifiers.HasData)
                {
                    throw new AsnContentException($"policy {policy} has an empty qualifier list");
                }

                while (qualifiers.HasData)
                {
                    var qualifier = qualifiers.ReadSequence();
                    qualifier.ReadObjectIdentifier();
                    if (qualifier.HasData)
                    {
                        qualifier.ReadEncodedValue();
                    }

                    qualifier.ThrowIfNotEmpty();
                }
            }

            information.ThrowIfNotEmpty();
            if (policies.Contains(policy, StringComparer.Ordinal))
            {
                throw new AsnContentException($"policy {policy} is listed twice");
            }

            policies.Add(policy);
        }

        return policies.Count == 0 ? throw new AsnContentException("it lists no policy") : [.. policies];
    }

    private static PolicyMapping[] ReadMappings(byte[] value)
    {
        var outer = new AsnReader(value, AsnEncodingRules.DER);
        var sequence = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        var mappings = new List<PolicyMapping>();
        while (sequence.HasData)
        {
            var pair = sequence.ReadSequence();
            var mapping = new PolicyMapping(pair.ReadObjectIdentifier(), pair.ReadObjectIdentifier());
            pair.ThrowIfNotEmpty();
            mappings.Add(mapping);
        }

        return mappings.Count == 0 ? throw new AsnContentException("it maps no policy") : [.. mappings];
    }

    private static (int? RequireExplicit, int? InhibitMapping) ReadConstraints(byte[] value)
    {
        var outer = new AsnReader(value, AsnEncodingRules.DER);
        var sequence = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        int? requireExplicit = null;
        int? inhibitMapping = null;
        var requireTag = new Asn1Tag(TagClass.ContextSpecific, 0);
        var inhibitTag = new Asn1Tag(TagClass.ContextSpecific, 1);
        if (sequence.HasData && sequence.PeekTag().HasSameClassAndValue(requireTag))
        {
            requireExplicit = ReadSkipCerts(sequence, requireTag, whole: false);
        }

        if (sequence.HasData && sequence.PeekTag().HasSameClassAndValue(inhibitTag))
        {
            inhibitMapping = ReadSkipCerts(sequence, inhibitTag, whole: false);
        }

        sequence.ThrowIfNotEmpty();

        // RFC 5280 4.2.1.11: CAs MUST NOT issue an empty policyConstraints; it constrains nothing a reader could honour.
        return requireExplicit is null && inhibitMapping is null ? throw new AsnContentException("it is an empty sequence") : (requireExplicit, inhibitMapping);
    }

    /// <summary>SkipCerts ::= INTEGER (0..MAX); counts past int.MaxValue mean "never" for any real path.</summary>
    private static int ReadSkipCerts(AsnReader reader, Asn1Tag tag, bool whole)
    {
        var skip = reader.ReadInteger(tag);
        if (whole)
        {
            reader.ThrowIfNotEmpty();
        }

        return skip.Sign < 0
            ? throw new AsnContentException($"SkipCerts is negative ({skip})")
            : skip > int.MaxValue ? int.MaxValue : (int)skip;
    }

    private static string Reason(Exception e) => e switch
    {
        // .NET's reader refuses object identifiers past 64 arcs or 128-bit arcs with this wording.
        _ when e.Message.Contains("exceeds the limits", StringComparison.Ordinal) || e is CryptographicException or ArgumentException =>
            "an object identifier is beyond what can be read: at most 64 arcs, each below 2^128",
        AsnContentException { Message.Length: > 0 } when !e.Message.StartsWith("The ASN.1", StringComparison.Ordinal) => e.Message,
        _ => "not valid DER",
    };
}
