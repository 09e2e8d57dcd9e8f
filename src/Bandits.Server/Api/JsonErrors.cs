using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Bandits.Server.Api;

/// <summary>
/// Turns System.Text.Json's exceptions into the contract's errors, in our own words: the field
/// as the client wrote it and what it must be ("reward must be a number."). The serializer's
/// own messages name .NET types and byte positions, which mean nothing to a client.
/// </summary>
public static class JsonErrors
{
    /// <summary>The error key and message for <paramref name="exception"/>, thrown while reading a <paramref name="target"/>.</summary>
    public static (string Field, string Message) Describe(JsonException exception, Type target, JsonSerializerOptions options)
    {
        // The reader's own exception, carried inside: the text is not JSON at all.
        if (exception.InnerException is JsonException || exception.Path is null)
            return ("body", "The body is not valid JSON.");

        string field = "", subject = "";
        Type type = target;
        foreach (string segment in Segments(exception.Path))
        {
            if (segment.StartsWith('['))
            {
                // An item of a field is the field ("arms"); an item of the body's own array keeps its position ("[3].reward").
                if (field.Length > 0) break;
                (field, subject, type) = (segment, "Each item", ItemType(type) ?? typeof(object));
                continue;
            }
            // A body of one item or many (RewardBatch) may be the item itself.
            JsonPropertyInfo? property = Property(type, segment, options) ?? (ItemType(type) is { } item ? Property(item, segment, options) : null);
            if (property is null) break;
            (field, subject, type) = (field.Length == 0 ? segment : $"{field}.{segment}", segment, property.PropertyType);
        }
        return field.Length == 0 ? ("body", $"The body must be {Describe(target)}.") : (field, $"{subject} must be {Describe(type)}.");
    }

    private static IEnumerable<string> Segments(string path)
    {
        // "$.arms[2]", "$[1].reward", "$['odd name']": property names and [index] parts, in order.
        int i = path.StartsWith('$') ? 1 : 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                int end = path.IndexOfAny(['.', '['], i + 1);
                if (end < 0) end = path.Length;
                yield return path[(i + 1)..end];
                i = end;
            }
            else if (path[i] == '[')
            {
                int end = path.IndexOf(']', i);
                if (end < 0) yield break;
                string inside = path[(i + 1)..end];
                yield return inside.StartsWith('\'') ? inside.Trim('\'') : $"[{inside}]";
                i = end + 1;
            }
            else yield break;
        }
    }

    private static JsonPropertyInfo? Property(Type type, string name, JsonSerializerOptions options) =>
        options.GetTypeInfo(type).Properties.FirstOrDefault(p => p.Name == name);

    /// <summary>The item type of a list, array or other enumerable; null for anything else (strings included).</summary>
    private static Type? ItemType(Type type) => type == typeof(string) ? null
        : type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    /// <summary>What a value of <paramref name="type"/> is, in words: "a number", "an array of strings", ….</summary>
    public static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(double)) return "a number";
        if (type == typeof(long) || type == typeof(int)) return "a whole number";
        if (type == typeof(string)) return "a string";
        if (ItemType(type) is { } item)
            return item == typeof(string) ? "an array of strings" : type == typeof(RewardBatch) ? "a reward event or an array of them" : "an array";
        return "a JSON object";
    }
}
