using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Bandits.Server.Tests;

/// <summary>
/// The contract over HTTP/2 cleartext with prior knowledge: HTTP/2 has no Content-Length or
/// Transfer-Encoding to tell an empty body by, so this is where a guess from those headers fails.
/// </summary>
public sealed class Http2Tests(SqliteServerFixture fixture) : IClassFixture<SqliteServerFixture>
{
    private readonly HttpClient http2 = new()
    {
        BaseAddress = fixture.Http2Address,
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", TestKeys.Admin) },
    };

    private async Task<JsonNode> Ok(HttpResponseMessage response)
    {
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Body();
    }

    [Fact]
    public async Task ChooseWithAndWithoutABodyAndRewardsWorkOverHttp2()
    {
        string id = Http.NewId("h2");
        await Ok(await http2.PutExperiment(id, new { arms = new[] { "a", "b" } }));

        JsonNode anonymous = await Ok(await http2.PostAsync($"/v1/experiments/{id}/choose", null));
        JsonNode sticky = await Ok(await http2.PostAsync($"/v1/experiments/{id}/choose", Http.Json(new { userId = "u-1" })));
        JsonNode receipt = await Ok(await http2.PostAsync($"/v1/experiments/{id}/rewards", Http.Json(new[]
        {
            new { decisionId = (string)anonymous["decisionId"]!, reward = 1 },
            new { decisionId = (string)sticky["decisionId"]!, reward = 0 },
        })));

        Assert.Equal(2, (int)receipt["accepted"]!);
        Assert.Equal(2, (long)(await Ok(await http2.GetAsync($"/v1/experiments/{id}/stats")))["totalRewards"]!);
    }

    [Fact]
    public async Task AMissingRequiredBodyIsA400OverHttp2()
    {
        HttpResponseMessage response = await http2.PutAsync($"/v1/experiments/{Http.NewId("h2")}", null);
        Assert.Equal(HttpVersion.Version20, response.Version);
        JsonNode problem = await Problem.Assert(response, HttpStatusCode.BadRequest);
        Assert.Equal("A JSON body is required.", (string)problem["errors"]!["body"]![0]!);
    }
}
