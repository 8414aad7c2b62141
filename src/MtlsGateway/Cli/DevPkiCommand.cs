using System.CommandLine;
using MtlsGateway.DevelopmentMode;

namespace MtlsGateway.Cli;

/// <summary><c>dev-pki &lt;folder&gt;</c>: writes the Development PKI (CA, localhost server, one client) on demand.</summary>
internal static class DevPkiCommand
{
    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "Folder to write ca.crt, server.crt/.key, client.crt/.key/.p12 into" };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing PKI in the folder" };
        var command = new Command("dev-pki", "Create a development PKI: a CA, a localhost server certificate and a client certificate") { folder, force };
        command.SetAction(parseResult =>
        {
            var target = parseResult.GetValue(folder)!;
            if (DevelopmentPki.Exists(target.FullName) && !parseResult.GetValue(force))
            {
                Console.Error.WriteLine($"dev-pki: {target.FullName} already holds a PKI; use --force to replace it");
                return GatewayCommands.UsageError;
            }

            DevelopmentPki.Create(target.FullName);
            Console.WriteLine($"Development PKI written to {target.FullName}:");
            foreach (var file in new[] { DevelopmentPki.CaCertificateFile, DevelopmentPki.ServerCertificateFile, DevelopmentPki.ServerKeyFile, DevelopmentPki.ClientCertificateFile, DevelopmentPki.ClientKeyFile, DevelopmentPki.ClientPkcs12File })
            {
                Console.WriteLine("  " + file);
            }

            return GatewayCommands.Success;
        });
        return command;
    }
}
