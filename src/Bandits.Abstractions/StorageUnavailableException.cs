namespace Bandits.Abstractions;

/// <summary>
/// The database could not commit a write. Nothing of the request was acknowledged; the
/// client may retry. The HTTP layer answers 503.
/// </summary>
[GenerateSerializer, Alias("bandits.storage-unavailable.v1")]
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException() { }

    public StorageUnavailableException(string message) : base(message) { }

    public StorageUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
