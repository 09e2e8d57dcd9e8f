using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Bandits.Server.Api;

/// <summary>One reward event of POST …/rewards.</summary>
public sealed record RewardEvent
{
    public string? DecisionId { get; init; }
    public string? Arm { get; init; }
    public double? Reward { get; init; }
}

/// <summary>
/// The body of POST …/rewards: one event or an array of them. Its events are validated against
/// the experiment (<see cref="RewardValidation"/>), so not by <see cref="ValidationFilter"/>.
/// </summary>
[JsonConverter(typeof(RewardBatchConverter))]
public sealed class RewardBatch(IReadOnlyList<RewardEvent?> events, bool single) : IReadOnlyList<RewardEvent?>
{
    public IReadOnlyList<RewardEvent?> Events { get; } = events;

    /// <summary>Whether the body was one object (its errors then name fields without a position).</summary>
    public bool Single { get; } = single;

    public int Count => Events.Count;

    public RewardEvent? this[int index] => Events[index];

    public IEnumerator<RewardEvent?> GetEnumerator() => Events.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Reads a <see cref="RewardBatch"/> from an object or an array of objects.</summary>
public sealed class RewardBatchConverter : JsonConverter<RewardBatch>
{
    public override RewardBatch Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.StartArray => new RewardBatch(JsonSerializer.Deserialize(ref reader, TypeInfo<RewardEvent?[]>(options))!, single: false),
        JsonTokenType.StartObject => new RewardBatch([JsonSerializer.Deserialize(ref reader, TypeInfo<RewardEvent>(options))], single: true),
        _ => throw new JsonException(),
    };

    public override void Write(Utf8JsonWriter writer, RewardBatch value, JsonSerializerOptions options)
    {
        if (value.Single) JsonSerializer.Serialize(writer, value[0], TypeInfo<RewardEvent?>(options));
        else JsonSerializer.Serialize(writer, value.Events, TypeInfo<IReadOnlyList<RewardEvent?>>(options));
    }

    private static JsonTypeInfo<T> TypeInfo<T>(JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
}
