using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;

namespace Bandits.Cluster.Tests;

/// <summary>One decision to reward: its id, its arm and the reward the load client will post.</summary>
public sealed record PlannedReward(string DecisionId, string Arm, double Reward);

/// <summary>
/// A load client that posts rewards (alternately one at a time and in batches of five) through
/// every silo in turn, and retries any request that was not answered 200 on the next silo until
/// it is. Rewards name their decision, so a retry of a request that did commit comes back as a
/// duplicate: in the end every decision is rewarded exactly once, and the acknowledged set is
/// known exactly.
/// </summary>
public sealed class RewardLoad(SiloCluster cluster, string experimentId)
{
    private readonly ConcurrentDictionary<string, PlannedReward> acknowledged = new();
    private readonly ConcurrentDictionary<int, int> statuses = new();

    public IReadOnlyDictionary<string, PlannedReward> Acknowledged => acknowledged;

    /// <summary>Answers other than 200 by status (0: no answer: connection refused or timed out).</summary>
    public IReadOnlyDictionary<int, int> Failures => statuses;

    /// <summary>The moment of every 200 (for "no acknowledgement while the database was down").</summary>
    public ConcurrentBag<DateTimeOffset> AcknowledgedAt { get; } = [];

    public async Task RunAsync(IReadOnlyList<PlannedReward> plan, int workers, TimeSpan pace)
    {
        var items = new ConcurrentQueue<PlannedReward[]>();
        for (int i = 0, n = 0; i < plan.Count; n++)
        {
            int size = n % 2 == 0 ? 1 : 5;
            items.Enqueue(plan.Skip(i).Take(size).ToArray());
            i += size;
        }
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async worker =>
        {
            using var clients = new ClientSet(cluster);
            int attempt = worker;
            while (items.TryDequeue(out PlannedReward[]? item))
            {
                while (!await TryPostAsync(clients.For(attempt++ % cluster.Count), item)) await Task.Delay(100);
                await Task.Delay(pace);
            }
        }));
    }

    private async Task<bool> TryPostAsync(HttpClient client, PlannedReward[] item)
    {
        object body = item.Length == 1
            ? new { decisionId = item[0].DecisionId, reward = item[0].Reward }
            : item.Select(r => new { decisionId = r.DecisionId, reward = r.Reward }).ToArray();
        try
        {
            using HttpResponseMessage response = await client.PostAsJsonAsync($"/v1/experiments/{experimentId}/rewards", body);
            if ((int)response.StatusCode is >= 400 and < 500)
                throw new InvalidOperationException($"A reward was refused for good: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                return false;
            }
            AcknowledgedAt.Add(DateTimeOffset.UtcNow);
            foreach (PlannedReward reward in item) acknowledged[reward.DecisionId] = reward;
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            statuses.AddOrUpdate(0, 1, (_, n) => n + 1);
            return false;
        }
    }

    /// <summary>A client per silo with a short timeout, so a request to a dead silo is retried elsewhere soon.</summary>
    private sealed class ClientSet(SiloCluster cluster) : IDisposable
    {
        private readonly HttpClient?[] clients = new HttpClient?[cluster.Count];

        public HttpClient For(int silo)
        {
            if (clients[silo] is { } client) return client;
            client = cluster.Client(silo);
            client.Timeout = TimeSpan.FromSeconds(10);
            return clients[silo] = client;
        }

        public void Dispose()
        {
            foreach (HttpClient? client in clients) client?.Dispose();
        }
    }
}
