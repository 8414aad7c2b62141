using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsGateway.Hosting;
using MtlsGateway.Outbound;
using MtlsGateway.Pkcs11.Enrollment;
using MtlsGateway.Pkcs11.Modules;
using MtlsGateway.Pkcs11.Tokens;
using MtlsGateway.Validation.Certificates;

namespace MtlsGateway.Cli;

/// <summary>
/// <c>token list | enroll | import-cert</c>: the operator's tools for a smart card or HSM holding the gateway's outbound
/// identity. The PIN comes from a file or an environment variable (never an argument: it would show in `ps` and shell
/// history), is tried once, and is never printed.
/// </summary>
internal static class TokenCommand
{
    public static Command Create()
    {
        var command = new Command("token", "Smart card / PKCS#11 token tools for the gateway's outbound identity");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Enroll());
        command.Subcommands.Add(ImportCertificate());
        return command;
    }

    private static Option<string> ModuleOption() => new("--module") { Description = "Full path of the PKCS#11 module (e.g. /usr/lib/softhsm/libsofthsm2.so)", Required = true };

    private static Option<string> TokenOption() => new("--token") { Description = "Token label", Required = true };

    private static Option<string> PinFileOption() => new("--pin-file") { Description = "File holding the user PIN (one trailing newline is ignored)" };

    private static Option<string> PinEnvironmentOption() => new("--pin-env") { Description = "Environment variable holding the user PIN" };

    private static Command List()
    {
        var module = ModuleOption();
        var command = new Command("list", "List slots, tokens (label, serial) and the objects visible without login") { module };
        command.SetAction(parseResult => Run("token list", () =>
        {
            var loaded = Pkcs11Module.Load(Path.GetFullPath(parseResult.GetValue(module)!));
            Console.Write(TokenInventoryText.Format(TokenInventory.Read(loaded)));
        }));
        return command;
    }

    private static Command Enroll()
    {
        var module = ModuleOption();
        var token = TokenOption();
        var keyLabel = new Option<string>("--key-label") { Description = "Label of the new key pair", Required = true };
        var keyId = new Option<string>("--key-id") { Description = "CKA_ID of the new key pair, hex (default: 8 random bytes)" };
        var subject = new Option<string>("--subject") { Description = "Subject of the certificate request, e.g. \"CN=gateway.example, O=Example\"", Required = true };
        var pinFile = PinFileOption();
        var pinEnvironment = PinEnvironmentOption();
        var csr = new Option<string>("--csr") { Description = "Where to write the certificate signing request (PEM)", Required = true };
        var command = new Command("enroll", "Generate a non-extractable EC P-256 key pair on the token and write a CSR signed by the token")
        {
            module, token, keyLabel, keyId, subject, pinFile, pinEnvironment, csr,
        };
        command.SetAction(parseResult => Run("token enroll", () =>
        {
            var id = parseResult.GetValue(keyId) is { } hex ? ParseKeyId(hex) : RandomNumberGenerator.GetBytes(8);
            var name = ParseSubject(parseResult.GetValue(subject)!);
            var output = Path.GetFullPath(parseResult.GetValue(csr)!);
            var pinSource = Pin(parseResult.GetValue(pinFile), parseResult.GetValue(pinEnvironment));
            var loaded = Pkcs11Module.Load(Path.GetFullPath(parseResult.GetValue(module)!));
            EnrollmentResult result;
            var pin = pinSource.Read();
            try
            {
                using var session = TokenSessions.OpenLoggedIn(loaded, TokenSelector.ByLabel(parseResult.GetValue(token)!), pin, readWrite: true);
                result = TokenEnrollment.Enroll(session.Session, name, parseResult.GetValue(keyLabel)!, id);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(pin);
            }

            File.WriteAllText(output, result.CertificateSigningRequestPem);
            Console.WriteLine($"key pair '{result.KeyLabel}' id {result.KeyIdHex} (EC P-256, non-extractable) generated on token '{parseResult.GetValue(token)}'");
            Console.WriteLine($"certificate request for '{name.Name}' written to {output}");
        }));
        return command;
    }

    private static Command ImportCertificate()
    {
        var module = ModuleOption();
        var token = TokenOption();
        var pinFile = PinFileOption();
        var pinEnvironment = PinEnvironmentOption();
        var certificate = new Option<string>("--cert") { Description = "The issued certificate (PEM or DER); it is stored next to the key it belongs to", Required = true };
        var command = new Command("import-cert", "Write an issued certificate onto the token with the CKA_ID and label of its key")
        {
            module, token, pinFile, pinEnvironment, certificate,
        };
        command.SetAction(parseResult => Run("token import-cert", () =>
        {
            var certificates = CertificateFiles.Read(Path.GetFullPath(parseResult.GetValue(certificate)!));
            try
            {
                var pinSource = Pin(parseResult.GetValue(pinFile), parseResult.GetValue(pinEnvironment));
                var loaded = Pkcs11Module.Load(Path.GetFullPath(parseResult.GetValue(module)!));
                var pin = pinSource.Read();
                try
                {
                    using var session = TokenSessions.OpenLoggedIn(loaded, TokenSelector.ByLabel(parseResult.GetValue(token)!), pin, readWrite: true);
                    TokenEnrollment.ImportCertificate(session.Session, certificates[0]);
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(pin);
                }

                Console.WriteLine($"certificate '{certificates[0].Subject}' (valid until {certificates[0].NotAfter.ToUniversalTime():u}) written to token '{parseResult.GetValue(token)}'");
            }
            finally
            {
                foreach (var item in certificates)
                {
                    item.Dispose();
                }
            }
        }));
        return command;
    }

    private static PinSource Pin(string? file, string? variable) => (file, variable) switch
    {
        (not null, not null) => throw new GatewayConfigurationException("--pin-file/--pin-env", "give one PIN source, not both"),
        (null, null) => throw new GatewayConfigurationException("--pin-file/--pin-env", "a PIN source is required (the PIN is never a command-line argument)"),
        (not null, _) => new PinSource("--pin-file", Path.GetFullPath(file), null),
        _ => new PinSource("--pin-env", null, variable),
    };

    private static byte[] ParseKeyId(string hex)
    {
        try
        {
            var id = Convert.FromHexString(hex);
            return id.Length > 0 ? id : throw new GatewayConfigurationException("--key-id", "empty");
        }
        catch (FormatException)
        {
            throw new GatewayConfigurationException("--key-id", $"'{hex}' is not hexadecimal (e.g. 01 or a1b2)");
        }
    }

    private static X500DistinguishedName ParseSubject(string subject)
    {
        try
        {
            return new X500DistinguishedName(subject);
        }
        catch (CryptographicException)
        {
            throw new GatewayConfigurationException("--subject", $"'{subject}' is not a distinguished name (e.g. \"CN=gateway.example, O=Example\")");
        }
    }

    // Every failure is one line on stderr and exit code 1; PKCS#11 errors name the function and the return value, never the PIN.
    private static int Run(string verb, Action action)
    {
        try
        {
            action();
            return GatewayCommands.Success;
        }
        catch (PinIncorrectException)
        {
            return Fail(verb, "wrong PIN (CKR_PIN_INCORRECT); not retried: a card locks after a few wrong PINs");
        }
        catch (Net.Pkcs11Interop.Common.Pkcs11Exception e)
        {
            return Fail(verb, Pkcs11Errors.Describe(e));
        }
        catch (Exception e) when (e is GatewayConfigurationException or CertificateSourceException or Pkcs11ModuleLoadException or UnreadableAttributeException
            or TokenNotFoundException or InvalidOperationException or NotSupportedException or FormatException or IOException or UnauthorizedAccessException)
        {
            return Fail(verb, e.Message);
        }
    }

    private static int Fail(string verb, string message)
    {
        Console.Error.WriteLine($"{verb}: {message}");
        return GatewayCommands.UsageError;
    }
}
