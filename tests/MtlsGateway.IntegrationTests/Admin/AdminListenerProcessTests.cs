using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MtlsGateway.Admin;
using MtlsGateway.IntegrationTests.Harness;

namespace MtlsGateway.IntegrationTests.Admin;

/// <summary>
/// The real executable's admin listener: its address logged at start, a port already taken named as
/// <c>Gateway:Admin:Url</c> (saying when the address is the default), and <c>Gateway:Admin:Enabled: false</c>.
/// </summary>
public sealed partial class AdminListenerProcessTests : IDisposable
{
    private readonly TestPki pki = new();
    private readonly string contentRoot;

    public AdminListenerProcessTests() => contentRoot = TestGateway.WriteContentRoot(pki);

    public void Dispose()
    {
        pki.Dispose();
        Directory.Delete(contentRoot, recursive: true);
    }

    [Fact]
    public void The_default_port_is_not_one_of_the_common_monitoring_ports()
    {
        int[] taken = [80, 443, 3000, 4317, 4318, 8080, 8081, 8443, 8888, 8889, 9090, 9091, 9093, 9100, 9901, 15000];
        Assert.DoesNotContain(AdminOptions.DefaultPort, taken);
        Assert.Equal(AdminOptions.DefaultUrl, $"http://127.0.0.1:{AdminOptions.DefaultPort}");
    }

    [Fact]
    public async Task The_admin_address_is_logged_at_start_and_answers()
    {
        Write(admin => admin["Url"] = "http://127.0.0.1:0");
        var (process, _) = await GatewayProcess.StartAsync(contentRoot, new Dictionary<string, string?>());
        await using (process)
        {
            var line = await process.WaitForLineAsync(l => AdminListening().IsMatch(l), TimeSpan.FromSeconds(30));
            Assert.Contains("/healthz/ready", line, StringComparison.Ordinal);
            using var client = new HttpClient();
            Assert.Equal("live\n", await client.GetStringAsync(new Uri(new Uri(AdminListening().Match(line).Groups["url"].Value), "/healthz/live")));
        }
    }

    [Fact]
    public async Task A_port_already_taken_names_Gateway_Admin_Url_not_Kestrel_Endpoints()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        Write(admin => admin["Url"] = $"http://127.0.0.1:{port}");

        var error = await GatewayProcess.StartupErrorAsync(contentRoot);
        Assert.Equal($"MtlsGateway: cannot start: Gateway:Admin:Url: 'http://127.0.0.1:{port}': the port is already in use by another program; set Gateway:Admin:Url to a free http://host:port, or Gateway:Admin:Enabled to false", error);
    }

    [Fact]
    public async Task The_default_port_taken_says_it_is_the_default()
    {
        // Whoever holds the default port (this test, or a program on the machine), it is taken while the gateway starts.
        using var holder = new TcpListener(IPAddress.Loopback, AdminOptions.DefaultPort);
        try
        {
            holder.Start();
        }
        catch (SocketException)
        {
        }

        Write(admin => admin.Remove("Url"));
        var error = await GatewayProcess.StartupErrorAsync(contentRoot);
        Assert.Equal($"MtlsGateway: cannot start: Gateway:Admin:Url: '{AdminOptions.DefaultUrl}': the port is already in use by another program; this is the default admin address; set Gateway:Admin:Url to a free http://host:port, or Gateway:Admin:Enabled to false", error);
    }

    [Fact]
    public async Task Enabled_false_turns_the_listener_off_and_says_so()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        // The URL names a taken port: with the listener off, nothing tries to bind it.
        Write(admin =>
        {
            admin["Enabled"] = false;
            admin["Url"] = $"http://127.0.0.1:{port}";
        });
        var (process, address) = await GatewayProcess.StartAsync(contentRoot, new Dictionary<string, string?>());
        await using (process)
        {
            await process.WaitForLineAsync(l => l.Contains("Admin listener off (Gateway:Admin:Enabled is false)", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            Assert.DoesNotContain("Admin listener on", process.Output, StringComparison.Ordinal);
            Assert.False(process.HasExited);
            Assert.NotNull(address);
        }
    }

    [Theory]
    [InlineData("http://127.0.0.1:８４４２")]
    [InlineData("http://bücher.example:8442")]
    [InlineData("yes")]
    public async Task A_look_alike_or_non_ASCII_url_is_refused_naming_the_key(string url)
    {
        Write(admin => admin["Url"] = url);
        var error = await GatewayProcess.StartupErrorAsync(contentRoot);
        Assert.StartsWith($"MtlsGateway: cannot start: Gateway:Admin:Url: '{url}' is not of the form http://host:port", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enabled_that_is_not_a_boolean_is_refused()
    {
        Write(admin => admin["Enabled"] = "off");
        var error = await GatewayProcess.StartupErrorAsync(contentRoot);
        Assert.Equal("MtlsGateway: cannot start: Gateway:Admin:Enabled: 'off' is not true or false", error);
    }

    private void Write(Action<JsonObject> editAdmin)
    {
        var settings = GatewaySettings.Create(new Uri("http://127.0.0.1:9/"));
        editAdmin(settings["Gateway"]!["Admin"]!.AsObject());
        GatewaySettings.Write(contentRoot, settings);
    }

    [GeneratedRegex(@"Admin listener on (?<url>http://127\.0\.0\.1:\d+)/?")]
    private static partial Regex AdminListening();
}
