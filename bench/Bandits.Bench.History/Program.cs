using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Bandits.Testing;

// Seeds an experiment with DAYS days of hourly rollups (as a long-running experiment leaves
// them), then times sequential GET …/history (DAYS days at 1h), GET …/history (24 h at 1m) and
// GET …/stats?at= requests, and prints the first (cold) request's time and, after a warm-up,
// the latency percentiles.
//
//   Bandits.Bench.History --server URL --key KEY (--data DIR | --postgres CONNECTION) [--arms 10] [--days 30] [--requests 200]
Dictionary<string, string> options = [];
for (int i = 0; i + 1 < args.Length; i += 2) options[args[i].TrimStart('-')] = args[i + 1];
string Option(string name, string? fallback = null) =>
    options.TryGetValue(name, out string? value) ? value : fallback ?? throw new ArgumentException($"--{name} is required.");
var server = new Uri(Option("server"));
int arms = int.Parse(Option("arms", "10")), days = int.Parse(Option("days", "30")), requests = int.Parse(Option("requests", "200"));
string id = $"history-{DateTime.UtcNow:HHmmss}";

using var client = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };
client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Option("key"));
string armList = string.Join(",", Enumerable.Range(0, arms).Select(a => $"\"arm{a}\""));
(await client.PutAsync($"/v1/experiments/{id}", new StringContent($"{{\"arms\":[{armList}]}}", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
long decisions = await HistorySeed.WriteAsync(id, arms, days, options.GetValueOrDefault("data", ""), options.GetValueOrDefault("postgres"));
Console.Error.WriteLine($"Seeded {id}: {arms} arms, {days} days, {decisions:N0} decisions.");

string now = Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"));
string from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-days).ToString("yyyy-MM-ddTHH:mm:ssZ"));
string yesterday = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-1).ToString("yyyy-MM-ddTHH:mm:ssZ"));
string atWeekAgo = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-7).ToString("yyyy-MM-ddTHH:mm:ssZ"));
Console.WriteLine("| request | points | body | first (cold) | p50 | p90 | p99 | max |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
(string Name, string Path, int Points)[] rows =
[
    ($"history {days} d at 1h", $"/v1/experiments/{id}/history?from={from}&to={now}&step=1h", days * 24),
    ("history 24 h at 1m", $"/v1/experiments/{id}/history?from={yesterday}&to={now}&step=1m", 1440),
    ("stats?at= a week ago", $"/v1/experiments/{id}/stats?at={atWeekAgo}", 1),
];
// Every request's first (cold) answer computes each point's posterior (closed buckets' are kept
// afterwards); then all of them are warmed up (tiered JIT, connection) before any is timed.
var first = new Dictionary<string, (double Milliseconds, long Bytes)>();
foreach ((string name, string path, _) in rows)
{
    long cold = Stopwatch.GetTimestamp();
    long bytes = (await GetAsync(path)).Length;
    first[name] = (Stopwatch.GetElapsedTime(cold).TotalMilliseconds, bytes);
}
foreach ((_, string path, _) in rows)
    for (int i = 0; i < 50; i++) await GetAsync(path);
foreach ((string name, string path, int points) in rows) await MeasureAsync(name, path, points);
await client.DeleteAsync($"/v1/experiments/{id}");

async Task MeasureAsync(string name, string path, int points)
{
    Latency latency = await Latency.MeasureAsync(requests, () => GetAsync(path));
    Console.WriteLine($"| {name} | {points} | {first[name].Bytes / 1024.0:F0} KB | {first[name].Milliseconds:F0} ms | {latency.At(0.5):F1} ms | {latency.At(0.9):F1} ms | {latency.At(0.99):F1} ms | {latency.Max:F1} ms |");
}

async Task<byte[]> GetAsync(string path)
{
    using HttpResponseMessage response = await client.GetAsync(path);
    byte[] body = await response.Content.ReadAsByteArrayAsync();
    if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{(int)response.StatusCode} for {path}: {Encoding.UTF8.GetString(body)}");
    return body;
}
