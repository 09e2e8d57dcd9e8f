using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;

namespace Bandits.Server.Auth;

/// <summary>
/// The configured keys, held only as SHA-256 digests: a presented key is hashed and looked up,
/// so plain and pre-hashed keys are checked the same way and no plain key stays in memory.
/// Each key's identity (name, roles, principal) is built once; a look-up allocates nothing.
/// </summary>
public sealed class ApiKeyStore
{
    /// <summary>Longer keys are refused: no key needs more, and the digest is taken on the stack.</summary>
    public const int MaxKeyLength = 512;

    // One reusable hash per thread: a one-shot digest sets up and tears down a context every time.
    [ThreadStatic] private static IncrementalHash? sha256;

    private readonly Dictionary<Digest, ApiKeyIdentity> byDigest = [];

    public ApiKeyStore(IEnumerable<ApiKeyOptions> keys)
    {
        int index = 0;
        foreach (ApiKeyOptions key in keys)
        {
            string where = $"Auth:Keys:{index++} ('{key.Name}')";
            Digest digest = (key.Key, key.KeyHash) switch
            {
                ({ Length: > MaxKeyLength }, _) => throw new InvalidOperationException($"{where}: a Key has at most {MaxKeyLength} characters."),
                ({ Length: > 0 } plain, null or "") => Hash(plain),
                (null or "", { } hashed) when hashed.StartsWith("sha256:", StringComparison.Ordinal) && hashed.Length == 7 + 64
                    && hashed[7..].All(Uri.IsHexDigit) => Digest.From(Convert.FromHexString(hashed[7..])),
                (null or "", _) => throw new InvalidOperationException($"{where}: KeyHash must be 'sha256:' followed by 64 hex digits."),
                _ => throw new InvalidOperationException($"{where}: give exactly one of Key and KeyHash."),
            };
            if (key.Roles.Count == 0 || key.Roles.Any(r => !Roles.All.Contains(r)))
                throw new InvalidOperationException($"{where}: Roles must be one or more of {string.Join(", ", Roles.All)}.");
            if (!byDigest.TryAdd(digest, new ApiKeyIdentity(key.Name, [.. key.Roles])))
                throw new InvalidOperationException($"{where}: the same key is configured twice.");
        }
    }

    public int Count => byDigest.Count;

    public bool TryFind(ReadOnlySpan<char> presentedKey, [NotNullWhen(true)] out ApiKeyIdentity? identity)
    {
        identity = null;
        return presentedKey.Length is > 0 and <= MaxKeyLength && byDigest.TryGetValue(Hash(presentedKey), out identity);
    }

    private static Digest Hash(ReadOnlySpan<char> key)
    {
        Span<byte> utf8 = stackalloc byte[MaxKeyLength * 3];
        Span<byte> digest = stackalloc byte[32];
        IncrementalHash hash = sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(utf8[..Encoding.UTF8.GetBytes(key, utf8)]);
        hash.GetHashAndReset(digest);
        return Digest.From(digest);
    }

    /// <summary>A SHA-256 digest as a value that compares and hashes cheaply.</summary>
    private readonly record struct Digest(ulong A, ulong B, ulong C, ulong D)
    {
        public static Digest From(ReadOnlySpan<byte> bytes)
        {
            ReadOnlySpan<ulong> words = MemoryMarshal.Cast<byte, ulong>(bytes[..32]);
            return new Digest(words[0], words[1], words[2], words[3]);
        }
    }
}

/// <summary>Who a key is: its name, its roles and the principal requests made with it run as.</summary>
public sealed class ApiKeyIdentity
{
    public ApiKeyIdentity(string name, string[] roles)
    {
        (Name, Roles) = (name, roles);
        Principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, name), .. roles.Select(r => new Claim(ClaimTypes.Role, r))], ApiKeyAuthenticationHandler.SchemeName));
        Authenticated = ApiKeyAuthenticationHandler.Succeeded(this);
    }

    public string Name { get; }

    public string[] Roles { get; }

    /// <summary>Shared by every request with this key: built once, never changed.</summary>
    public ClaimsPrincipal Principal { get; }

    /// <summary>The authentication result of every request with this key (completed, shared).</summary>
    internal Task<AuthenticateResult> Authenticated { get; }
}
