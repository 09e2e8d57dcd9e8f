using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Bandits.Core.Policies;

namespace Bandits.Server.Api;

/// <summary>The JSON settings of the API: camelCase, strict numbers, UTC times ending in Z.</summary>
public static class Serialization
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.NumberHandling = JsonNumberHandling.Strict;
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        // Generated code for the hot paths first; reflection for the rest (problems, statistics, …).
        options.TypeInfoResolver = JsonTypeInfoResolver.Combine(ApiJsonContext.Default, options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver());
        options.Converters.Add(new UtcTimeConverter());
        options.Converters.Add(new PolicyNameConverter());
        return options;
    }

    /// <summary>Policies by the names of <see cref="PolicyFactory"/>: "thompson", "kl-ucb", ….</summary>
    private sealed class PolicyNameConverter : JsonConverter<PolicyKind>
    {
        public override PolicyKind Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            PolicyFactory.TryParse(reader.GetString(), out PolicyKind policy) ? policy : throw new JsonException("Unknown policy.");

        public override void Write(Utf8JsonWriter writer, PolicyKind value, JsonSerializerOptions options) =>
            writer.WriteStringValue(PolicyFactory.NameOf(value));
    }

    /// <summary>Writes times as UTC, "2026-11-26T10:00:00.123Z", as the contract shows them.</summary>
    private sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetDateTimeOffset();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime);
    }
}
