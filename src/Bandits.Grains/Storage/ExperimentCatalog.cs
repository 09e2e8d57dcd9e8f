using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bandits.Abstractions;

namespace Bandits.Grains.Storage;

/// <summary>Which experiments to list: a status, a part of the id, a page size and where the page starts.</summary>
/// <param name="After">The last id of the page before, or null for the first page.</param>
public sealed record CatalogQuery(string? Status, string? Search, int Limit, string? After);

/// <summary>A page of the list, in id order; <see cref="Total"/> counts every experiment that matches.</summary>
public sealed record CatalogPage(IReadOnlyList<CatalogEntry> Entries, long Total, bool HasMore);

/// <summary>An experiment of the list, with its line, or null before its first snapshot since schema 015.</summary>
public sealed record CatalogEntry(string Id, ExperimentListing? Listing);

/// <summary>
/// The experiments list, read from their rows in <c>bandits_experiments</c>: each snapshot of an
/// experiment writes its line there (<see cref="IExperimentLog.SaveListingAsync"/>), so listing
/// loads no experiment and writes nothing, and a page costs the same with ten or a hundred
/// thousand experiments (keyset paging on the primary key).
/// </summary>
public sealed class ExperimentCatalog(BanditsDatabase database)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static string Serialize(ExperimentListing listing) => JsonSerializer.Serialize(listing, Json);

    public async Task<CatalogPage> ListAsync(CatalogQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        string like = database.Kind == DatabaseKind.Postgres ? "ILIKE" : "LIKE"; // SQLite's LIKE ignores ASCII case already
        string filter = "deleted = 0"
            + (query.Status is null ? "" : " AND status = @status")
            + (string.IsNullOrEmpty(query.Search) ? "" : $" AND experiment_id {like} @search ESCAPE '\\'");

        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        DbCommand With(DbCommand command) => command.With("@status", query.Status).With("@search", Pattern(query.Search));

        var entries = new List<CatalogEntry>(Math.Min(query.Limit, 1000) + 1);
        await using (DbCommand select = With(connection.Command($"""
            SELECT experiment_id, listing FROM bandits_experiments
            WHERE {filter}{(query.After is null ? "" : " AND experiment_id > @after")}
            ORDER BY experiment_id LIMIT @limit
            """)).With("@after", query.After).With("@limit", query.Limit + 1))
        await using (DbDataReader reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                entries.Add(new CatalogEntry(reader.GetString(0), reader.IsDBNull(1) ? null : JsonSerializer.Deserialize<ExperimentListing>(reader.GetString(1), Json)));
        }
        await using DbCommand count = With(connection.Command($"SELECT COUNT(*) FROM bandits_experiments WHERE {filter}"));
        long total = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);

        bool more = entries.Count > query.Limit;
        if (more) entries.RemoveAt(entries.Count - 1);
        return new CatalogPage(entries, total, more);
    }

    /// <summary>A LIKE pattern that matches the text anywhere, its wildcards taken literally.</summary>
    private static string? Pattern(string? search) => string.IsNullOrEmpty(search)
        ? null
        : "%" + search.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
}
