using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bandits.Testing;

/// <summary>Terse HTTP helpers for the tests.</summary>
public static class Http
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static StringContent Json(object value) => Json(JsonSerializer.Serialize(value, new JsonSerializerOptions(JsonSerializerDefaults.Web)));

    public static async Task<JsonNode> Body(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("Empty body.");

    public static string NewId(string prefix = "exp") => $"{prefix}-{Guid.NewGuid():N}"[..24];

    public static Task<HttpResponseMessage> PutExperiment(this HttpClient client, string id, object body) =>
        client.PutAsync($"/v1/experiments/{id}", Json(body));

    public static async Task<JsonNode> Choose(this HttpClient client, string id, string? userId = null)
    {
        HttpResponseMessage response = await client.PostAsync($"/v1/experiments/{id}/choose", userId is null ? null : Json(new { userId }));
        response.EnsureSuccessStatusCode();
        return await response.Body();
    }

    public static async Task<JsonNode> Reward(this HttpClient client, string id, object events)
    {
        HttpResponseMessage response = await client.PostAsync($"/v1/experiments/{id}/rewards", Json(events));
        string text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    public static async Task<JsonNode> Stats(this HttpClient client, string id)
    {
        HttpResponseMessage response = await client.GetAsync($"/v1/experiments/{id}/stats");
        response.EnsureSuccessStatusCode();
        return await response.Body();
    }

    public static JsonNode Arm(this JsonNode stats, string arm) =>
        stats["arms"]!.AsArray().Single(a => (string)a!["arm"]! == arm)!;
}
