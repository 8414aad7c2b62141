namespace MtlsGateway.Tests.Pkcs11;

[CollectionDefinition(Name)]
public sealed class SoftHsmGroup : ICollectionFixture<SoftHsm>
{
    public const string Name = "SoftHSM2";
}
