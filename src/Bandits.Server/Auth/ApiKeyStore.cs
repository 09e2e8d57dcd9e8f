using System.Security.Cryptography;
using System.Text;

namespace Bandits.Server.Auth;

/// <summary>
/// The configured keys, held only as SHA-256 hashes: a presented key is hashed and looked up,
/// so plain and pre-hashed keys are checked the same way and no plain key stays in memory.
/// </summary>
public sealed class ApiKeyStore
{
    private readonly Dictionary<string, (string Name, string[] Roles)> byHash = new(StringComparer.Ordinal);

    public ApiKeyStore(IEnumerable<ApiKeyOptions> keys)
    {
        int index = 0;
        foreach (ApiKeyOptions key in keys)
        {
            string where = $"Auth:Keys:{index++} ('{key.Name}')";
            string hash = (key.Key, key.KeyHash) switch
            {
                ({ Length: > 0 } plain, null or "") => Hash(plain),
                (null or "", { } hashed) when hashed.StartsWith("sha256:", StringComparison.Ordinal) && hashed.Length == 7 + 64
                    && hashed[7..].All(Uri.IsHexDigit) => hashed[7..].ToLowerInvariant(),
                (null or "", _) => throw new InvalidOperationException($"{where}: KeyHash must be 'sha256:' followed by 64 hex digits."),
                _ => throw new InvalidOperationException($"{where}: give exactly one of Key and KeyHash."),
            };
            if (key.Roles.Count == 0 || key.Roles.Any(r => !Roles.All.Contains(r)))
                throw new InvalidOperationException($"{where}: Roles must be one or more of {string.Join(", ", Roles.All)}.");
            if (!byHash.TryAdd(hash, (key.Name, key.Roles.ToArray())))
                throw new InvalidOperationException($"{where}: the same key is configured twice.");
        }
    }

    public int Count => byHash.Count;

    public bool TryFind(string presentedKey, out string name, out string[] roles)
    {
        bool found = byHash.TryGetValue(Hash(presentedKey), out var entry);
        (name, roles) = found ? entry : ("", []);
        return found;
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
