using System.Security.Cryptography;
using System.Text;

namespace MtlsGateway.Pkcs11.Interop;

/// <summary>
/// One PKCS#11 session. Not thread-safe (PKCS#11 sessions are single-threaded): give each concurrent user its own.
/// Disposing closes only this session; it never logs out, because login state belongs to the whole token and the
/// OpenSSL engine's TLS keys depend on it.
/// </summary>
public sealed unsafe class Pkcs11Session : IDisposable
{
    private const nuint UserTypeUser = 1;
    private const int FindBatchSize = 32;

    private readonly Pkcs11Module module;
    private nuint handle;

    internal Pkcs11Session(Pkcs11Module module, nuint handle)
    {
        this.module = module;
        this.handle = handle;
    }

    private CK_FUNCTION_LIST* Functions => module.Functions;

    /// <summary>Logs the normal user in. "Already logged in" (by the engine or another session) counts as success.</summary>
    /// <returns>
    /// True when the token checked the PIN; false when the token was already logged in, in which case the token
    /// answers CKR_USER_ALREADY_LOGGED_IN without looking at the PIN, so the PIN is unverified.
    /// </returns>
    /// <exception cref="Pkcs11PinIncorrectException">The token refused the PIN. Do not retry on your own.</exception>
    public bool Login(ReadOnlySpan<byte> pin)
    {
        nuint rv;
        fixed (byte* p = pin)
        {
            rv = Functions->C_Login(Handle, UserTypeUser, p, (nuint)pin.Length);
        }

        if (rv == Ckr.PinIncorrect)
        {
            throw new Pkcs11PinIncorrectException();
        }

        if (rv == (nuint)Ckr.UserAlreadyLoggedIn)
        {
            return false;
        }

        Pkcs11Module.Check("C_Login", rv);
        return true;
    }

    /// <summary>Logs in with a PIN given as characters; the UTF-8 copy is pinned and zeroed after use.</summary>
    public bool Login(ReadOnlySpan<char> pin)
    {
        var utf8 = GC.AllocateUninitializedArray<byte>(Encoding.UTF8.GetByteCount(pin), pinned: true);
        try
        {
            Encoding.UTF8.GetBytes(pin, utf8);
            return Login(utf8);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(utf8);
        }
    }

    /// <summary>Handles of every object matching the template (an empty template matches every visible object).</summary>
    public IReadOnlyList<ulong> FindObjects(IReadOnlyList<TemplateItem> template)
    {
        using var native = new NativeTemplate(template);
        Pkcs11Module.Check("C_FindObjectsInit", Functions->C_FindObjectsInit(Handle, native.Pointer, (nuint)native.Count));
        var found = new List<ulong>();
        try
        {
            var batch = stackalloc nuint[FindBatchSize];
            while (true)
            {
                nuint count;
                Pkcs11Module.Check("C_FindObjects", Functions->C_FindObjects(Handle, batch, FindBatchSize, &count));
                for (nuint i = 0; i < count; i++)
                {
                    found.Add(batch[i]);
                }

                if (count < FindBatchSize)
                {
                    return found;
                }
            }
        }
        finally
        {
            _ = Functions->C_FindObjectsFinal(Handle);
        }
    }

    /// <summary>Reads one attribute.</summary>
    /// <exception cref="Pkcs11Exception">E.g. CKR_ATTRIBUTE_SENSITIVE for a private value, CKR_ATTRIBUTE_TYPE_INVALID.</exception>
    public byte[] GetAttributeValue(ulong objectHandle, ulong attributeType)
    {
        var rv = TryRead(objectHandle, attributeType, out var value);
        Pkcs11Module.Check("C_GetAttributeValue", rv);
        return value!;
    }

    /// <summary>Reads one attribute, or null when the object does not have it or will not reveal it.</summary>
    public byte[]? TryGetAttributeValue(ulong objectHandle, ulong attributeType)
    {
        var rv = TryRead(objectHandle, attributeType, out var value);
        if (rv is Ckr.AttributeTypeInvalid or Ckr.AttributeSensitive)
        {
            return null;
        }

        Pkcs11Module.Check("C_GetAttributeValue", rv);
        return value;
    }

    public ulong GetULongAttribute(ulong objectHandle, ulong attributeType) =>
        NativeValues.DecodeULong(GetAttributeValue(objectHandle, attributeType));

    public bool GetBoolAttribute(ulong objectHandle, ulong attributeType) =>
        GetAttributeValue(objectHandle, attributeType) is [not 0];

    /// <summary>Signs <paramref name="data"/> in one step with a mechanism that takes no parameter (CKM_ECDSA, CKM_RSA_PKCS).</summary>
    public byte[] Sign(ulong keyHandle, ulong mechanism, ReadOnlySpan<byte> data)
    {
        var ckMechanism = new CK_MECHANISM { mechanism = (nuint)mechanism };
        Pkcs11Module.Check("C_SignInit", Functions->C_SignInit(Handle, &ckMechanism, (nuint)keyHandle));
        fixed (byte* input = data)
        {
            nuint length = 0;
            Pkcs11Module.Check("C_Sign", Functions->C_Sign(Handle, input, (nuint)data.Length, null, &length));
            var signature = new byte[(int)length];
            fixed (byte* output = signature)
            {
                Pkcs11Module.Check("C_Sign", Functions->C_Sign(Handle, input, (nuint)data.Length, output, &length));
            }

            return signature.AsSpan(0, (int)length).ToArray();
        }
    }

    /// <summary>Generates a key pair on the token; returns (public key handle, private key handle).</summary>
    public (ulong PublicKey, ulong PrivateKey) GenerateKeyPair(
        ulong mechanism, IReadOnlyList<TemplateItem> publicKeyTemplate, IReadOnlyList<TemplateItem> privateKeyTemplate)
    {
        var ckMechanism = new CK_MECHANISM { mechanism = (nuint)mechanism };
        using var publicTemplate = new NativeTemplate(publicKeyTemplate);
        using var privateTemplate = new NativeTemplate(privateKeyTemplate);
        nuint publicKey, privateKey;
        Pkcs11Module.Check("C_GenerateKeyPair", Functions->C_GenerateKeyPair(
            Handle, &ckMechanism, publicTemplate.Pointer, (nuint)publicTemplate.Count,
            privateTemplate.Pointer, (nuint)privateTemplate.Count, &publicKey, &privateKey));
        return (publicKey, privateKey);
    }

    public ulong CreateObject(IReadOnlyList<TemplateItem> template)
    {
        using var native = new NativeTemplate(template);
        nuint handle;
        Pkcs11Module.Check("C_CreateObject", Functions->C_CreateObject(Handle, native.Pointer, (nuint)native.Count, &handle));
        return handle;
    }

    public void Dispose()
    {
        if (handle != 0)
        {
            // Closing our own session is safe for the engine; a failure here (token gone) leaves nothing to clean up.
            _ = Functions->C_CloseSession(handle);
            handle = 0;
        }
    }

    private nuint Handle => handle != 0 ? handle : throw new ObjectDisposedException(nameof(Pkcs11Session));

    private ulong TryRead(ulong objectHandle, ulong attributeType, out byte[]? value)
    {
        value = null;
        var attribute = new CK_ATTRIBUTE { type = (nuint)attributeType };
        var rv = Functions->C_GetAttributeValue(Handle, (nuint)objectHandle, &attribute, 1);
        if (rv != Ckr.Ok)
        {
            return rv;
        }

        if (attribute.ulValueLen == NativeValues.UnavailableInformation)
        {
            return Ckr.AttributeTypeInvalid;
        }

        var buffer = new byte[(int)attribute.ulValueLen];
        fixed (byte* p = buffer)
        {
            attribute.pValue = p;
            rv = Functions->C_GetAttributeValue(Handle, (nuint)objectHandle, &attribute, 1);
        }

        if (rv == Ckr.Ok)
        {
            value = buffer.AsSpan(0, (int)attribute.ulValueLen).ToArray();
        }

        return rv;
    }
}
