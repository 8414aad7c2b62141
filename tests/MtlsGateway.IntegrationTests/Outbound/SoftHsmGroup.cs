using MtlsGateway.TestSupport.SoftHsm2;

namespace MtlsGateway.IntegrationTests.Outbound;

/// <summary>The tests that use this process's SoftHSM2 tokens (one store per process: SoftHSM reads it once).</summary>
[CollectionDefinition(Name)]
public sealed class SoftHsmGroup : ICollectionFixture<SoftHsm>
{
    public const string Name = "SoftHSM2";
}
