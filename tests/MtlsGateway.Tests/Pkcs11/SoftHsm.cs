using MtlsGateway.Pkcs11.Interop;
using MtlsGateway.Pkcs11.Tokens;
using MtlsGateway.TestSupport.SoftHsm2;

namespace MtlsGateway.Tests.Pkcs11;

/// <summary>
/// The test process's SoftHSM2 tokens (<see cref="SoftHsmTokens"/>), plus the module loaded through the gateway's
/// PKCS#11 binding once the tokens exist.
/// </summary>
public sealed class SoftHsm : SoftHsmTokens
{
    public SoftHsm() => Module = Pkcs11Module.Load(ModulePath);

    public Pkcs11Module Module { get; }

    public ulong Slot(string label) => TokenFinder.Find(Module, TokenSelector.ByLabel(label)).SlotId;

    public Pkcs11Session LoggedInSession(string label, bool readWrite = false) =>
        TokenSessions.OpenLoggedIn(Module, TokenSelector.ByLabel(label), PinBytes, readWrite);
}
