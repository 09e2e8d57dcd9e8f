using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bandits.Server.Tests;

/// <summary>Every number of an answer is finite: an experiment whose statistics overflowed shows it here.</summary>
public static class Numbers
{
    public static void AssertFinite(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach ((_, JsonNode? value) in o) AssertFinite(value);
                break;
            case JsonArray a:
                foreach (JsonNode? item in a) AssertFinite(item);
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                Assert.True(double.IsFinite(v.GetValue<double>()), $"not finite: {v}");
                break;
        }
    }
}
