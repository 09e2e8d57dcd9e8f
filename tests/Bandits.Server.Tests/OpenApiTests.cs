using System.Text.Json.Nodes;

namespace Bandits.Server.Tests;

/// <summary>The OpenAPI document describes what the handlers' result types say they answer.</summary>
public sealed class OpenApiTests(SqliteServerFixture fixture) : IClassFixture<SqliteServerFixture>
{
    [Fact]
    public async Task TheDocumentShowsEveryAnswerAndTheRewardBody()
    {
        JsonNode document = JsonNode.Parse(await fixture.Server.Client(key: null).GetStringAsync("/openapi/v1.json"))!;
        JsonNode paths = document["paths"]!;

        string[] Answers(string path, string method) => [.. paths[path]![method]!["responses"]!.AsObject().Select(r => r.Key).Order()];
        Assert.Equal(["200", "400", "404", "503"], Answers("/v1/experiments/{id}/choose", "post"));
        Assert.Equal(["200", "400", "404", "503"], Answers("/v1/experiments/{id}/rewards", "post"));
        Assert.Equal(["200", "201", "400", "409", "503"], Answers("/v1/experiments/{id}", "put"));
        Assert.Equal(["204", "404"], Answers("/v1/experiments/{id}", "delete"));
        Assert.Equal("application/problem+json", paths["/v1/experiments/{id}"]!["get"]!["responses"]!["404"]!["content"]!.AsObject().Single().Key);

        JsonArray rewardBody = document["components"]!["schemas"]!["RewardBatch"]!["oneOf"]!.AsArray();
        Assert.Equal("#/components/schemas/RewardEvent", (string)rewardBody[0]!["$ref"]!);
        Assert.Equal("array", (string)rewardBody[1]!["type"]!);
    }
}
