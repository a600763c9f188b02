namespace Counter.Storage.Tables;

/// <summary>What went wrong with a Table Storage request, as far as a caller needs to decide what to do.</summary>
public enum TableErrorKind
{
    /// <summary>The table does not exist (404 TableNotFound).</summary>
    TableNotFound,

    /// <summary>The request was refused as malformed: a bad key, property or filter (400).</summary>
    InvalidInput,

    /// <summary>The credentials were refused (401/403), e.g. a wrong account key.</summary>
    AuthorizationFailed,

    /// <summary>The entity already exists (409), e.g. an insert raced another writer.</summary>
    Conflict,

    /// <summary>The entity changed since it was read (412 on a stale ETag).</summary>
    PreconditionFailed,

    /// <summary>The service could not be reached or kept failing after retries (connection refused, 5xx, timeouts).</summary>
    Unavailable,

    /// <summary>Any other answer.</summary>
    Other,
}
