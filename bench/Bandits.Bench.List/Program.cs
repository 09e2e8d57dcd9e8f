using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Bandits.Testing;

// Two steps, each against a running server:
//   create  PUTs COUNT experiments of three arms (ids list-000000 …), with progress on stderr;
//   measure times GET /v1/experiments (first page, cold then warm), a search, and paging through
//           every experiment (limit 1000), and prints the server's RSS before and after paging.
//
//   Bandits.Bench.List create  --server URL --key KEY --count N
//   Bandits.Bench.List measure --server URL --key KEY --pid SERVER_PID [--requests 200]
string step = args.Length > 0 ? args[0] : throw new ArgumentException("create or measure");
Dictionary<string, string> options = [];
for (int i = 1; i + 1 < args.Length; i += 2) options[args[i].TrimStart('-')] = args[i + 1];
string Option(string name, string? fallback = null) =>
    options.TryGetValue(name, out string? value) ? value : fallback ?? throw new ArgumentException($"--{name} is required.");

using var client = new HttpClient { BaseAddress = new Uri(Option("server")), Timeout = TimeSpan.FromMinutes(5) };
client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Option("key"));

if (step == "create")
{
    int count = int.Parse(Option("count"));
    int done = 0;
    var clock = Stopwatch.StartNew();
    await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, cancellationToken) =>
    {
        using var body = new StringContent("""{"arms":["control","blue","green"]}""", Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await client.PutAsync($"/v1/experiments/list-{i:D6}", body, cancellationToken);
        response.EnsureSuccessStatusCode();
        int made = Interlocked.Increment(ref done);
        if (made % Math.Max(1, count / 10) == 0) Console.Error.WriteLine($"  created {made:N0} of {count:N0} ({clock.Elapsed.TotalSeconds:F0} s)");
    });
    return;
}

int pid = int.Parse(Option("pid")), requests = int.Parse(Option("requests", "200"));
long rssAtStart = Rss(pid);
long cold = Stopwatch.GetTimestamp();
JsonNode firstPage = await GetAsync("/v1/experiments");
double coldMs = Stopwatch.GetElapsedTime(cold).TotalMilliseconds;
long total = (long)firstPage["total"]!;
for (int i = 0; i < 50; i++) await GetAsync("/v1/experiments"); // warm-up: tiered JIT, connections

Console.WriteLine("| request | first (cold) | p50 | p90 | p99 | max |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
await MeasureAsync("first page (100)", "/v1/experiments", coldMs);
await MeasureAsync("first page, search", "/v1/experiments?search=list-0123", null);
await MeasureAsync("first page, status=running, limit 1000", "/v1/experiments?status=running&limit=1000", null);

long rssBefore = Rss(pid); // after the pages above: the code is jitted and the pools are filled
var clock2 = Stopwatch.StartNew();
long listed = 0;
string? cursor = null;
do
{
    JsonNode page = await GetAsync("/v1/experiments?limit=1000" + (cursor is null ? "" : $"&cursor={cursor}"));
    listed += page["experiments"]!.AsArray().Count;
    cursor = (string?)page["nextCursor"];
}
while (cursor is not null);
double pagingSeconds = clock2.Elapsed.TotalSeconds;
long rssAfter = Rss(pid);
Console.WriteLine();
Console.WriteLine($"Paged through {listed:N0} of {total:N0} experiments (limit 1000) in {pagingSeconds:F2} s.");
Console.WriteLine($"Server RSS: {rssAtStart / 1048576.0:F0} MiB at start, {rssBefore / 1048576.0:F0} MiB after the first pages, "
    + $"{rssAfter / 1048576.0:F0} MiB after paging through all ({(rssAfter - rssBefore) / 1048576.0:+0;-0;0} MiB).");
return;

async Task MeasureAsync(string name, string path, double? coldMs)
{
    Latency latency = await Latency.MeasureAsync(requests, () => GetAsync(path));
    Console.WriteLine($"| {name} | {(coldMs is { } c ? $"{c:F0} ms" : "–")} | {latency.At(0.5):F1} ms | {latency.At(0.9):F1} ms | {latency.At(0.99):F1} ms | {latency.Max:F1} ms |");
}

async Task<JsonNode> GetAsync(string path)
{
    using HttpResponseMessage response = await client.GetAsync(path);
    string body = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{(int)response.StatusCode} for {path}: {body}");
    return JsonNode.Parse(body)!;
}

static long Rss(int pid)
{
    foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    throw new InvalidOperationException($"No VmRSS for process {pid}.");
}
