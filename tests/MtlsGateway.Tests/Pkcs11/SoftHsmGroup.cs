using MtlsGateway.TestSupport.SoftHsm2;

namespace MtlsGateway.Tests.Pkcs11;

[CollectionDefinition(Name)]
public sealed class SoftHsmGroup : ICollectionFixture<SoftHsm>
{
    public const string Name = "SoftHSM2";
}
