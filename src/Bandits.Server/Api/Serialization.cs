using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bandits.Server.Api;

/// <summary>The JSON settings of the API: camelCase, and numbers must be JSON numbers.</summary>
public static class Serialization
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.NumberHandling = JsonNumberHandling.Strict;
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        return options;
    }
}
