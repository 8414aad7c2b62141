namespace MtlsGateway.Admin;

/// <summary>Starts and stops the admin listener with the gateway.</summary>
internal sealed class AdminHostedService(AdminListener listener) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => listener.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => listener.StopAsync(cancellationToken);
}
