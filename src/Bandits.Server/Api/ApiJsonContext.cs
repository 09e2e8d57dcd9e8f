using System.Text.Json;
using System.Text.Json.Serialization;
using Bandits.Abstractions;

namespace Bandits.Server.Api;

/// <summary>
/// Serialization code generated at build time for the hot paths, choose and rewards (no
/// reflection at first use), and for history, the largest answer (thousands of points); other
/// types fall back to reflection. Settings as <see cref="Serialization"/>.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(ChooseRequest))]
[JsonSerializable(typeof(Decision))]
[JsonSerializable(typeof(RewardBatch))]
[JsonSerializable(typeof(RewardEvent[]))]
[JsonSerializable(typeof(RewardReceipt))]
[JsonSerializable(typeof(ExperimentHistory))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
