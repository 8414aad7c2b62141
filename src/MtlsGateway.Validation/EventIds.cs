namespace MtlsGateway.Validation;

/// <summary>
/// Every log event id of the validation library, each with its name, in one place. Ranges: 60xx watched files,
/// 61xx revocation (the host's own ids are below 6000).
/// </summary>
internal static class EventIds
{
    /// <summary>Watched files (trust list, CRL files) changed and cannot be loaded; the last good version stays.</summary>
    public const int FilesReloadFailed = 6001;

    /// <summary>Watched files were loaded.</summary>
    public const int FilesLoaded = 6002;

    /// <summary>A folder cannot be watched; the periodic re-check stands in.</summary>
    public const int FolderNotWatched = 6003;

    /// <summary>An OCSP answer was not usable.</summary>
    public const int OcspAnswerUnusable = 6101;

    /// <summary>A FetchCompleted handler threw.</summary>
    public const int FetchCompletedHandlerFailed = 6102;

    /// <summary>A CRL download or OCSP request failed.</summary>
    public const int RevocationFetchFailed = 6103;

    /// <summary>A downloaded CRL was stored.</summary>
    public const int CrlStored = 6104;

    /// <summary>A downloaded CRL was older than the one held.</summary>
    public const int OlderCrlIgnored = 6105;

    /// <summary>A CRL file in the cache folder is not usable.</summary>
    public const int CachedCrlUnusable = 6106;

    /// <summary>A downloaded CRL could not be written to the cache folder.</summary>
    public const int CrlCacheWriteFailed = 6107;
}
