namespace MtlsGateway.Pkcs11.Interop;

// Values from pkcs11t.h (v2.40); only the ones the gateway uses.

/// <summary>CKA_* attribute types.</summary>
public static class Cka
{
    public const ulong Class = 0x000;
    public const ulong Token = 0x001;
    public const ulong Private = 0x002;
    public const ulong Label = 0x003;
    public const ulong Value = 0x011;
    public const ulong CertificateType = 0x080;
    public const ulong Issuer = 0x081;
    public const ulong SerialNumber = 0x082;
    public const ulong KeyType = 0x100;
    public const ulong Subject = 0x101;
    public const ulong Id = 0x102;
    public const ulong Sensitive = 0x103;
    public const ulong Sign = 0x108;
    public const ulong Verify = 0x10A;
    public const ulong Modulus = 0x120;
    public const ulong PublicExponent = 0x122;
    public const ulong Extractable = 0x162;
    public const ulong NeverExtractable = 0x164;
    public const ulong AlwaysSensitive = 0x165;
    public const ulong EcParams = 0x180;
    public const ulong EcPoint = 0x181;
}

/// <summary>CKO_* object classes.</summary>
public static class Cko
{
    public const ulong Data = 0;
    public const ulong Certificate = 1;
    public const ulong PublicKey = 2;
    public const ulong PrivateKey = 3;
    public const ulong SecretKey = 4;

    public static string Name(ulong objectClass) => objectClass switch
    {
        Data => "data",
        Certificate => "certificate",
        PublicKey => "public-key",
        PrivateKey => "private-key",
        SecretKey => "secret-key",
        _ => $"class 0x{objectClass:X}",
    };
}

/// <summary>CKK_* key types.</summary>
public static class Ckk
{
    public const ulong Rsa = 0x000;
    public const ulong Ec = 0x003;

    public static string Name(ulong keyType) => keyType switch
    {
        Rsa => "RSA",
        Ec => "EC",
        _ => $"key type 0x{keyType:X}",
    };
}

/// <summary>CKM_* mechanisms.</summary>
public static class Ckm
{
    public const ulong RsaPkcs = 0x0001;
    public const ulong EcKeyPairGen = 0x1040;
    public const ulong Ecdsa = 0x1041;
}

/// <summary>CKC_* certificate types.</summary>
public static class Ckc
{
    public const ulong X509 = 0;
}

/// <summary>CKF_* token flags (CK_TOKEN_INFO.flags).</summary>
public static class CkfToken
{
    public const ulong Rng = 0x1;
    public const ulong WriteProtected = 0x2;
    public const ulong LoginRequired = 0x4;
    public const ulong UserPinInitialized = 0x8;
    public const ulong ProtectedAuthenticationPath = 0x100;
    public const ulong TokenInitialized = 0x400;
    public const ulong UserPinCountLow = 0x10000;
    public const ulong UserPinFinalTry = 0x20000;
    public const ulong UserPinLocked = 0x40000;
    public const ulong UserPinToBeChanged = 0x80000;

    private static readonly (ulong Flag, string Name)[] Names =
    [
        (Rng, "rng"), (WriteProtected, "write-protected"), (LoginRequired, "login-required"),
        (UserPinInitialized, "pin-initialized"), (ProtectedAuthenticationPath, "protected-auth-path"),
        (TokenInitialized, "token-initialized"), (UserPinCountLow, "user-pin-count-low"),
        (UserPinFinalTry, "user-pin-final-try"), (UserPinLocked, "user-pin-locked"),
        (UserPinToBeChanged, "user-pin-to-be-changed"),
    ];

    public static IReadOnlyList<string> Describe(ulong flags) =>
        Names.Where(n => (flags & n.Flag) != 0).Select(n => n.Name).ToArray();
}

/// <summary>CKF_* slot flags (CK_SLOT_INFO.flags).</summary>
public static class CkfSlot
{
    public const ulong TokenPresent = 0x1;
    public const ulong RemovableDevice = 0x2;
    public const ulong HardwareSlot = 0x4;
}

/// <summary>CKR_* return values and their names, for messages an operator can search for.</summary>
public static class Ckr
{
    public const ulong Ok = 0x000;
    public const ulong HostMemory = 0x002;
    public const ulong SlotIdInvalid = 0x003;
    public const ulong GeneralError = 0x005;
    public const ulong FunctionFailed = 0x006;
    public const ulong ArgumentsBad = 0x007;
    public const ulong AttributeReadOnly = 0x010;
    public const ulong AttributeSensitive = 0x011;
    public const ulong AttributeTypeInvalid = 0x012;
    public const ulong AttributeValueInvalid = 0x013;
    public const ulong DataInvalid = 0x020;
    public const ulong DataLenRange = 0x021;
    public const ulong DeviceError = 0x030;
    public const ulong DeviceMemory = 0x031;
    public const ulong DeviceRemoved = 0x032;
    public const ulong FunctionCanceled = 0x050;
    public const ulong FunctionNotSupported = 0x054;
    public const ulong KeyHandleInvalid = 0x060;
    public const ulong KeyTypeInconsistent = 0x063;
    public const ulong KeyFunctionNotPermitted = 0x068;
    public const ulong MechanismInvalid = 0x070;
    public const ulong MechanismParamInvalid = 0x071;
    public const ulong ObjectHandleInvalid = 0x082;
    public const ulong OperationActive = 0x090;
    public const ulong OperationNotInitialized = 0x091;
    public const ulong PinIncorrect = 0x0A0;
    public const ulong PinInvalid = 0x0A1;
    public const ulong PinLenRange = 0x0A2;
    public const ulong PinExpired = 0x0A3;
    public const ulong PinLocked = 0x0A4;
    public const ulong SessionClosed = 0x0B0;
    public const ulong SessionCount = 0x0B1;
    public const ulong SessionHandleInvalid = 0x0B3;
    public const ulong SessionParallelNotSupported = 0x0B4;
    public const ulong SessionReadOnly = 0x0B5;
    public const ulong SessionExists = 0x0B6;
    public const ulong SignatureInvalid = 0x0C0;
    public const ulong TemplateIncomplete = 0x0D0;
    public const ulong TemplateInconsistent = 0x0D1;
    public const ulong TokenNotPresent = 0x0E0;
    public const ulong TokenNotRecognized = 0x0E1;
    public const ulong TokenWriteProtected = 0x0E2;
    public const ulong UserAlreadyLoggedIn = 0x100;
    public const ulong UserNotLoggedIn = 0x101;
    public const ulong UserPinNotInitialized = 0x102;
    public const ulong UserTypeInvalid = 0x103;
    public const ulong UserAnotherAlreadyLoggedIn = 0x104;
    public const ulong BufferTooSmall = 0x150;
    public const ulong CryptokiNotInitialized = 0x190;
    public const ulong CryptokiAlreadyInitialized = 0x191;

    private static readonly Dictionary<ulong, string> Names = new()
    {
        [Ok] = "CKR_OK",
        [HostMemory] = "CKR_HOST_MEMORY",
        [SlotIdInvalid] = "CKR_SLOT_ID_INVALID",
        [GeneralError] = "CKR_GENERAL_ERROR",
        [FunctionFailed] = "CKR_FUNCTION_FAILED",
        [ArgumentsBad] = "CKR_ARGUMENTS_BAD",
        [AttributeReadOnly] = "CKR_ATTRIBUTE_READ_ONLY",
        [AttributeSensitive] = "CKR_ATTRIBUTE_SENSITIVE",
        [AttributeTypeInvalid] = "CKR_ATTRIBUTE_TYPE_INVALID",
        [AttributeValueInvalid] = "CKR_ATTRIBUTE_VALUE_INVALID",
        [DataInvalid] = "CKR_DATA_INVALID",
        [DataLenRange] = "CKR_DATA_LEN_RANGE",
        [DeviceError] = "CKR_DEVICE_ERROR",
        [DeviceMemory] = "CKR_DEVICE_MEMORY",
        [DeviceRemoved] = "CKR_DEVICE_REMOVED",
        [FunctionCanceled] = "CKR_FUNCTION_CANCELED",
        [FunctionNotSupported] = "CKR_FUNCTION_NOT_SUPPORTED",
        [KeyHandleInvalid] = "CKR_KEY_HANDLE_INVALID",
        [KeyTypeInconsistent] = "CKR_KEY_TYPE_INCONSISTENT",
        [KeyFunctionNotPermitted] = "CKR_KEY_FUNCTION_NOT_PERMITTED",
        [MechanismInvalid] = "CKR_MECHANISM_INVALID",
        [MechanismParamInvalid] = "CKR_MECHANISM_PARAM_INVALID",
        [ObjectHandleInvalid] = "CKR_OBJECT_HANDLE_INVALID",
        [OperationActive] = "CKR_OPERATION_ACTIVE",
        [OperationNotInitialized] = "CKR_OPERATION_NOT_INITIALIZED",
        [PinIncorrect] = "CKR_PIN_INCORRECT",
        [PinInvalid] = "CKR_PIN_INVALID",
        [PinLenRange] = "CKR_PIN_LEN_RANGE",
        [PinExpired] = "CKR_PIN_EXPIRED",
        [PinLocked] = "CKR_PIN_LOCKED",
        [SessionClosed] = "CKR_SESSION_CLOSED",
        [SessionCount] = "CKR_SESSION_COUNT",
        [SessionHandleInvalid] = "CKR_SESSION_HANDLE_INVALID",
        [SessionParallelNotSupported] = "CKR_SESSION_PARALLEL_NOT_SUPPORTED",
        [SessionReadOnly] = "CKR_SESSION_READ_ONLY",
        [SessionExists] = "CKR_SESSION_EXISTS",
        [SignatureInvalid] = "CKR_SIGNATURE_INVALID",
        [TemplateIncomplete] = "CKR_TEMPLATE_INCOMPLETE",
        [TemplateInconsistent] = "CKR_TEMPLATE_INCONSISTENT",
        [TokenNotPresent] = "CKR_TOKEN_NOT_PRESENT",
        [TokenNotRecognized] = "CKR_TOKEN_NOT_RECOGNIZED",
        [TokenWriteProtected] = "CKR_TOKEN_WRITE_PROTECTED",
        [UserAlreadyLoggedIn] = "CKR_USER_ALREADY_LOGGED_IN",
        [UserNotLoggedIn] = "CKR_USER_NOT_LOGGED_IN",
        [UserPinNotInitialized] = "CKR_USER_PIN_NOT_INITIALIZED",
        [UserTypeInvalid] = "CKR_USER_TYPE_INVALID",
        [UserAnotherAlreadyLoggedIn] = "CKR_USER_ANOTHER_ALREADY_LOGGED_IN",
        [BufferTooSmall] = "CKR_BUFFER_TOO_SMALL",
        [CryptokiNotInitialized] = "CKR_CRYPTOKI_NOT_INITIALIZED",
        [CryptokiAlreadyInitialized] = "CKR_CRYPTOKI_ALREADY_INITIALIZED",
    };

    /// <summary>"CKR_TOKEN_NOT_PRESENT (0xE0)"; unknown and vendor codes keep their number.</summary>
    public static string Describe(ulong returnValue) =>
        Names.TryGetValue(returnValue, out var name) ? $"{name} (0x{returnValue:X})" : $"CKR 0x{returnValue:X}";

    /// <summary>The token or its reader is gone (card pulled, HSM restarted, USB unplugged).</summary>
    public static bool MeansTokenGone(ulong returnValue) =>
        returnValue is TokenNotPresent or DeviceRemoved or DeviceError or SessionHandleInvalid or SessionClosed
            or SlotIdInvalid or TokenNotRecognized;
}
