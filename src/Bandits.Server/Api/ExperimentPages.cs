using System.Buffers.Text;
using System.Text;
using Bandits.Abstractions;
using Bandits.Grains.Storage;

namespace Bandits.Server.Api;

/// <summary>
/// Pages of the experiments list, for the API and the dashboard alike, read from the database
/// (<see cref="ExperimentCatalog"/>). A page's cursor is opaque to clients: the last id of the
/// page, base64url-encoded.
/// </summary>
public sealed class ExperimentPages(ExperimentCatalog catalog, IGrainFactory grains)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>One page, starting after the id <paramref name="after"/> (read from a cursor by <see cref="TryReadCursor"/>).</summary>
    public async Task<ListingPage> ReadAsync(string? status, string? search, int limit, string? after, CancellationToken cancellationToken)
    {
        CatalogPage page = await catalog.ListAsync(new CatalogQuery(status, search, limit, after), cancellationToken);
        // A line is missing only for an experiment not snapshotted since the list moved to the
        // database: loading it once writes its line, and it is read from the database from then on.
        ExperimentListing?[] listings = await Task.WhenAll(page.Entries.Select(entry =>
            entry.Listing is { } listing ? Task.FromResult<ExperimentListing?>(listing) : grains.GetGrain<IExperimentGrain>(entry.Id).GetListingAsync()));
        return new ListingPage(listings.OfType<ExperimentListing>().ToList(), page.Total, page.HasMore ? CursorOf(page.Entries[^1].Id) : null);
    }

    public static string CursorOf(string lastId) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(lastId));

    /// <summary>The last id a cursor names; false if it is not a cursor this service wrote.</summary>
    public static bool TryReadCursor(string cursor, out string lastId)
    {
        lastId = "";
        Span<byte> bytes = stackalloc byte[64];
        if (cursor.Length > 88 || Base64Url.DecodeFromChars(cursor, bytes, out _, out int written) != System.Buffers.OperationStatus.Done) return false;
        string id = Encoding.UTF8.GetString(bytes[..written]);
        if (!ExperimentValidation.IsValidId(id) || CursorOf(id) != cursor) return false;
        lastId = id;
        return true;
    }
}

/// <summary>A page of the list: its experiments, how many match in all, and the cursor of the next page (null on the last).</summary>
public sealed record ListingPage(IReadOnlyList<ExperimentListing> Experiments, long Total, string? NextCursor);
