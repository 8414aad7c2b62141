using System.Diagnostics;

namespace MtlsGateway.Tests.Revocation.Crl;

/// <summary>Runs the real openssl command line: a minimal `openssl ca` that issues, revokes and writes a CRL.</summary>
internal static class OpenSslCa
{
    /// <returns>The PEM CRL file; <paramref name="revokedSerialHex"/> is the serial openssl gave the revoked certificate.</returns>
    public static string CreateWithRevokedCertificate(string folder, string reason, out string revokedSerialHex)
    {
        File.WriteAllText(Path.Combine(folder, "index.txt"), string.Empty);
        File.WriteAllText(Path.Combine(folder, "serial"), "1A2B\n");
        File.WriteAllText(Path.Combine(folder, "crlnumber"), "07\n");
        File.WriteAllText(Path.Combine(folder, "ca.cnf"), $"""
            [ ca ]
            default_ca = test_ca
            [ test_ca ]
            dir = {folder}
            database = $dir/index.txt
            serial = $dir/serial
            crlnumber = $dir/crlnumber
            new_certs_dir = $dir
            certificate = $dir/ca.pem
            private_key = $dir/ca.key
            default_md = sha256
            default_days = 30
            default_crl_days = 7
            policy = any
            unique_subject = no
            [ any ]
            commonName = supplied
            """);
        Run(folder, "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -subj /CN=OpenSSL\\ Test\\ CA -days 30");
        Run(folder, "req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key -out leaf.csr -subj /CN=leaf");
        Run(folder, "ca -batch -config ca.cnf -in leaf.csr -out leaf.pem");
        Run(folder, $"ca -config ca.cnf -revoke leaf.pem -crl_reason {reason}");
        Run(folder, "ca -config ca.cnf -gencrl -out ca.crl");
        revokedSerialHex = Run(folder, "x509 -in leaf.pem -noout -serial").Trim().Split('=')[1];
        return Path.Combine(folder, "ca.crl");
    }

    private static string Run(string folder, string arguments)
    {
        var start = new ProcessStartInfo("openssl")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in SplitArguments(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {arguments} failed: {error}");
        }

        return output.Result;
    }

    private static IEnumerable<string> SplitArguments(string arguments)
    {
        var current = new System.Text.StringBuilder();
        for (var i = 0; i < arguments.Length; i++)
        {
            if (arguments[i] == '\\' && i + 1 < arguments.Length)
            {
                current.Append(arguments[++i]);
            }
            else if (arguments[i] == ' ')
            {
                if (current.Length > 0)
                {
                    yield return current.ToString();
                    current.Clear();
                }
            }
            else
            {
                current.Append(arguments[i]);
            }
        }

        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }
}
