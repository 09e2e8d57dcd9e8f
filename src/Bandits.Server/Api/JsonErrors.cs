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
                (field, subject, type) = (segment, "Each item", ElementType(type));
                continue;
            }
            JsonPropertyInfo? property = options.GetTypeInfo(type).Properties.FirstOrDefault(p => p.Name == segment);
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

    private static Type ElementType(Type type) =>
        type.IsArray ? type.GetElementType()! : type.IsGenericType ? type.GetGenericArguments()[0] : typeof(object);

    private static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(double)) return "a number";
        if (type == typeof(long) || type == typeof(int)) return "a whole number";
        if (type == typeof(string)) return "a string";
        if (type != typeof(string) && type.IsAssignableTo(typeof(System.Collections.IEnumerable)))
            return ElementType(type) == typeof(string) ? "an array of strings" : "an array";
        return "a JSON object";
    }
}
