namespace MtlsGateway.Validation;

/// <summary>
/// Every log event id of the validation library, each with its name, in one place. Ranges: 60xx watched files,
/// 61xx revocation. The host's request screening uses 6001 and 6002 too; the event name and the log category tell
/// them apart.
/// </summary>
internal static class EventIds
{
    /// <summary>Watched files (trust list, CRL files) changed and cannot be loaded; the last good version stays.</summary>
    public const int FilesReloadFailed = 6001;

    /// <summary>Watched files were loaded.</summary>
    public const int FilesLoaded = 6002;

    /// <summary>A folder cannot be watched; the periodic re-check stands in.</summary>
    public const int FolderNotWatched = 6003;

    /// <summary>A check of watched files failed unexpectedly; the data in use stays and the next check tries again.</summary>
    public const int FilesCheckFailed = 6004;

    /// <summary>Watched files that could not be loaded can be read again.</summary>
    public const int FilesReadAgain = 6005;

    /// <summary>Something an operator should know about loaded files (a legacy trust anchor).</summary>
    public const int FilesWarning = 6006;

    /// <summary>A handler of newly loaded files threw; the new data is in use all the same.</summary>
    public const int FilesChangedHandlerFailed = 6007;

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

    /// <summary>A background CRL refresh failed unexpectedly; it is retried.</summary>
    public const int CrlRefreshFailed = 6120;
}
