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
            if (File.Exists(target.FullName))
            {
                Console.Error.WriteLine($"dev-pki: {target.FullName} is a file; name a folder to write the PKI into");
                return GatewayCommands.UsageError;
            }

            if (DevelopmentPki.Exists(target.FullName) && !parseResult.GetValue(force))
            {
                Console.Error.WriteLine($"dev-pki: {target.FullName} already holds a PKI; use --force to replace it");
                return GatewayCommands.UsageError;
            }

            try
            {
                DevelopmentPki.Create(target.FullName);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"dev-pki: cannot write the PKI into {target.FullName}: {e.Message.ReplaceLineEndings(" ")}");
                return GatewayCommands.UsageError;
            }

            Console.WriteLine($"Development PKI written to {target.FullName}:");
            foreach (var file in DevelopmentPki.Files)
            {
                Console.WriteLine("  " + file + (DevelopmentPki.PrivateFiles.Contains(file) ? " (private key, owner-only 0600)" : string.Empty));
            }

            return GatewayCommands.Success;
        });
        return command;
    }
}
