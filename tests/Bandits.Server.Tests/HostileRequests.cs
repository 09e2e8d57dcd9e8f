using System.Globalization;
using System.Text;

namespace Bandits.Server.Tests;

/// <summary>One request of the hostile mix, described so that a failure can name it.</summary>
public sealed record HostileRequest(string Method, string Path, string? Key, string? ContentType, byte[]? Body)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), Path);
        if (Key is not null) message.Headers.TryAddWithoutValidation("Authorization", Key);
        if (Body is not null)
        {
            // A server that answers without reading the body (401, 405) closes the connection while
            // a large body is still being sent; with 100-continue the client waits and reads that answer.
            message.Headers.ExpectContinue = true;
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null) message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        }
        return message;
    }

    public override string ToString() =>
        $"{Method} {(Path.Length > 120 ? Path[..120] + "…" : Path)} auth={Key ?? "none"} type={ContentType ?? "none"} body={Preview()}";

    private string Preview()
    {
        if (Body is null) return "none";
        string text = Encoding.UTF8.GetString(Body);
        return text.Length > 200 ? text[..200] + "…" : text;
    }
}

/// <summary>
/// Malformed and extreme requests over every endpoint, drawn from a fixed seed: bad JSON, wrong
/// types, extreme numbers, deep nesting, long strings, unknown arms, forged and truncated decision
/// ids, wrong methods and media types, missing and invalid keys, overlong and unicode ids.
/// </summary>
public sealed class HostileRequests(int seed, IReadOnlyList<string> experiments, IReadOnlyList<string> decisionIds)
{
    private readonly Random random = new(seed);

    private static readonly string[] Numbers =
    [
        "1e308", "-1e308", "1e309", "-1e309", "1.7976931348623157e308", "-0", "0", "-0.0", "5e-324", "1e-400", "1e12", "1000000000001",
        "-1e12", "1", "0.5", "2", "-1", "123456789012345678901234567890", "9223372036854775808", "-9223372036854775809", "1.5", "1E2",
    ];

    private static readonly string[] NotNumbers = ["\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"1\"", "true", "null", "[]", "{}", "\"\""];

    // Not DELETE: a swapped method must never delete an experiment the test made (the delete case covers DELETE).
    private static readonly string[] OtherMethods = ["GET", "POST", "PUT", "PATCH", "OPTIONS", "HEAD"];

    public IEnumerable<HostileRequest> Take(int count)
    {
        for (int i = 0; i < count; i++) yield return Next();
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private bool Chance(double p) => random.NextDouble() < p;

    private HostileRequest Next()
    {
        string id = Id();
        (string method, string path, Func<string>? body) = random.Next(10) switch
        {
            0 => ("GET", "/v1/experiments", (Func<string>?)null),
            1 => ("PUT", $"/v1/experiments/{id}", Definition),
            2 => ("GET", $"/v1/experiments/{id}", null),
            // Deletes only what the test did not create: every experiment it made must survive.
            3 => ("DELETE", $"/v1/experiments/{Escape(Unknown())}", null),
            4 or 5 => ("POST", $"/v1/experiments/{id}/choose", Chance(0.4) ? null : Choose),
            6 or 7 => ("POST", $"/v1/experiments/{id}/rewards", Rewards),
            8 => random.Next(5) switch
            {
                0 => ("GET", $"/v1/experiments/{id}/stats", null),
                1 => ("GET", $"/v1/experiments/{id}/stats?at={Escape(Time())}", null),
                2 => ("GET", $"/v1/experiments/{id}/history?{HistoryQuery()}", null),
                3 => ("POST", $"/v1/experiments/{id}/conclude", Conclude),
                _ => ("POST", $"/v1/experiments/{id}/reopen", null),
            },
            _ => ("GET", Pick(["/health/live", "/health/ready", "/metrics", "/v1", "/v1/", "/v1/experiments/a/b/c", "/nothing", "/v1/experiments//choose"]), null),
        };
        if (Chance(0.1)) method = Pick(OtherMethods);
        byte[]? bytes = body is null && !Chance(0.05) ? null : Bytes(body?.Invoke() ?? Json());
        string? contentType = bytes is null ? null : Pick<string?>(["application/json", "application/json", "application/json", "application/json; charset=utf-8",
            "application/problem+json", "text/plain", "application/x-www-form-urlencoded", "application/xml", null, "application/json; charset=utf-16", "*/*"]);
        return new HostileRequest(method, path, Key(), contentType, bytes);
    }

    private byte[] Bytes(string json) => random.Next(30) switch
    {
        0 => [0xFF, 0xFE, .. Encoding.UTF8.GetBytes(json)],     // not UTF-8
        1 => [.. Encoding.UTF8.GetBytes(json), 0xC3],            // a cut multi-byte character
        2 => Encoding.UTF8.GetBytes(json[..(json.Length / 2)]),  // cut short
        _ => Encoding.UTF8.GetBytes(json),
    };

    private string Time() => Pick(["2026-12-01T10:00:00Z", DateTimeOffset.UtcNow.ToString("O"), "yesterday", "", "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z", "2026-13-45T99:99:99Z", "1e308", "2026-12-01T10:00:00+14:00", new string('9', 400), "\u0000"]);

    private string HistoryQuery()
    {
        var parts = new List<string>();
        if (Chance(0.7)) parts.Add("step=" + Escape(Pick(["1m", "1h", "1d", "5m", "", "1M", "1H", "-1h", "1h1h"])));
        if (Chance(0.6)) parts.Add("from=" + Escape(Time()));
        if (Chance(0.6)) parts.Add("to=" + Escape(Time()));
        return string.Join('&', parts);
    }

    private string Conclude() => random.Next(6) switch
    {
        0 => "{}",
        1 => $"{{\"winner\": {Pick(NotNumbers)}}}",
        2 => $"{{\"winner\": \"{new string('w', random.Next(1, 5000))}\"}}",
        3 => "{\"winner\": \"a\"}",
        4 => "{\"winner\": \"héro-🎲\"}",
        _ => Json(),
    };

    private string? Key() => random.Next(20) switch
    {
        0 => null,
        1 => "Bearer not-a-key",
        2 => "Basic dGVzdDp0ZXN0",
        3 => "Bearer ",
        4 => "Bearer " + new string('k', 5000),
        5 => $"Bearer {TestKeys.App}",
        6 => $"Bearer {TestKeys.Producer}",
        7 => $"Bearer {TestKeys.Analyst}",
        8 => $"bearer {TestKeys.Admin}",
        _ => $"Bearer {TestKeys.Admin}",
    };

    private string Id() => random.Next(10) switch
    {
        < 7 => Pick(experiments),
        _ => Escape(Unknown()),
    };

    private string Unknown() => random.Next(8) switch
    {
        0 => "héro-实验-🎲",
        1 => new string('x', random.Next(65, 3000)),
        2 => "..",
        3 => "has space",
        4 => "a%2Fb",
        5 => "null",
        6 => LongString(random.Next(1, 70)),
        _ => $"unknown-{random.Next(1_000_000)}",
    };

    private static string Escape(string id) => id == ".." ? id : Uri.EscapeDataString(id);

    private string Definition() => random.Next(6) switch
    {
        0 => Json(),
        _ => Object(
            ("arms", Chance(0.7) ? Arms() : Value()),
            ("policy", Chance(0.5) ? Quote(Pick(["thompson", "ucb1", "kl-ucb", "epsilon-greedy", "greedy", "THOMPSON", ""])) : Value()),
            ("rewardKind", Chance(0.5) ? Quote(Pick(["binary", "continuous", "money"])) : Value()),
            ("defaultReward", Value()),
            ("rewardWindowSeconds", Chance(0.5) ? Pick(["1", "0", "31536000", "31536001", "-5", "1e3", "1.5"]) : Value()),
            ("epsilon", Value()),
            ("discount", Value())),
    };

    private string Arms() => random.Next(6) switch
    {
        0 => "[]",
        1 => $"[{string.Join(",", Enumerable.Range(0, random.Next(1, 1200)).Select(i => Quote($"arm-{i}")))}]",
        2 => "[\"a\",\"a\"]",
        3 => $"[{Quote(LongString(random.Next(1, 200)))}]",
        4 => "[\"a\", 7, null]",
        _ => "[\"a\",\"b\",\"c\"]",
    };

    private string Choose() => random.Next(5) switch
    {
        0 => Json(),
        1 => Object(("userId", Quote(LongString(random.Next(0, 400))))),
        2 => Object(("userId", Value())),
        _ => Object(("userId", Quote($"user-{random.Next(100)}"))),
    };

    private string Rewards()
    {
        if (Chance(0.1)) return Json();
        if (Chance(0.5)) return RewardEvent();
        int n = random.Next(10) == 0 ? random.Next(990, 1010) : random.Next(0, 20);
        return $"[{string.Join(",", Enumerable.Range(0, n).Select(_ => RewardEvent()))}]";
    }

    private string RewardEvent()
    {
        var fields = new List<(string, string)>();
        int which = random.Next(10);
        if (which < 4) fields.Add(("decisionId", DecisionId()));
        else if (which < 8) fields.Add(("arm", Chance(0.7) ? Quote(Pick(["a", "b", "c", "big", "small", "arm-1"])) : Chance(0.5) ? Quote(LongString(random.Next(1, 300))) : Value()));
        else if (which == 8) fields.AddRange([("decisionId", DecisionId()), ("arm", "\"a\"")]);
        if (!Chance(0.05)) fields.Add(("reward", Value()));
        if (Chance(0.05)) fields.Add(("extra", Json()));
        return Object([.. fields]);
    }

    private string DecisionId()
    {
        string valid = Pick(decisionIds);
        return random.Next(7) switch
        {
            0 => Quote(valid),
            1 => Quote(valid[..random.Next(valid.Length)]),
            2 => Quote(valid[..^1] + (valid[^1] == 'A' ? 'B' : 'A')),
            3 => Quote(valid + "AAAA"),
            4 => Quote(Convert.ToBase64String(Enumerable.Range(0, random.Next(1, 60)).Select(_ => (byte)random.Next(256)).ToArray())),
            5 => Quote(new string('A', random.Next(60, 500))),
            _ => Value(),
        };
    }

    /// <summary>A value of any kind, mostly numbers: extreme, malformed or of the wrong type.</summary>
    private string Value() => random.Next(10) switch
    {
        < 5 => Pick(Numbers),
        < 7 => Pick(NotNumbers),
        7 => Quote(LongString(random.Next(0, 20_000))),
        8 => (random.NextDouble() * 2 - 1).ToString("R", CultureInfo.InvariantCulture),
        _ => Nested(random.Next(1, 200)),
    };

    /// <summary>Arbitrary JSON or text that is almost JSON.</summary>
    private string Json() => random.Next(12) switch
    {
        0 => "",
        1 => "{",
        2 => "{\"arms\": [\"a\",],}",
        3 => "{'arms': ['a']}",
        4 => "/* comment */ {}",
        5 => "null",
        6 => Nested(random.Next(60, 1000)),
        7 => Quote(LongString(random.Next(0, 5000))),
        8 => "{\"a\":1}{\"b\":2}",
        9 => "NaN",
        10 => "   ",
        _ => Value(),
    };

    private string Nested(int depth) => random.Next(2) == 0
        ? new string('[', depth) + new string(']', depth)
        : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    private string LongString(int length)
    {
        const string alphabet = "abcXYZ019._-é实 \"\\/\t\u0001\u200b";
        var text = new StringBuilder(length);
        while (text.Length < length) text.Append(alphabet[random.Next(alphabet.Length)]);
        return text.ToString();
    }

    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    private static string Object(params (string Name, string Value)[] fields) =>
        "{" + string.Join(",", fields.Select(f => $"{Quote(f.Name)}:{f.Value}")) + "}";
}
