using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Bandits.Grains.Decisions;

/// <summary>What a decision id says, once its signature has been checked.</summary>
public readonly record struct DecisionToken(long Sequence, int ArmIndex, long IssuedAt);

/// <summary>
/// Opaque, unforgeable decision ids: version, sequence, arm index and issue time (Unix ms),
/// followed by a 128-bit HMAC-SHA256 tag over those and the experiment's id and incarnation,
/// base64url-encoded (50 characters). The key is generated once and kept in the database, so
/// every silo and every restart agree, and nothing needs to be looked up to verify a reward.
/// </summary>
public sealed class DecisionTokens
{
    private const byte Version = 1;
    private const int PayloadLength = 1 + 8 + 4 + 8;
    private const int TagLength = 16;
    private const int EncodedLength = 50; // Base64Url.GetEncodedLength(PayloadLength + TagLength)

    // One keyed HMAC per thread, reset after each tag: a one-shot HMAC sets the key up again
    // for every decision, which costs more than the tag itself.
    private readonly ThreadLocal<IncrementalHash> hmac;

    public DecisionTokens(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < 32) throw new ArgumentException("The signing key must have at least 32 bytes.", nameof(key));
        byte[] copy = [.. key];
        hmac = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, copy));
    }

    public string Issue(string experimentId, long incarnation, DecisionToken token)
    {
        Span<byte> bytes = stackalloc byte[PayloadLength + TagLength];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], token.Sequence);
        BinaryPrimitives.WriteInt32BigEndian(bytes[9..], token.ArmIndex);
        BinaryPrimitives.WriteInt64BigEndian(bytes[13..], token.IssuedAt);
        Sign(experimentId, incarnation, bytes[..PayloadLength], bytes[PayloadLength..]);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>
    /// Reads a decision id issued for this experiment; false if it is malformed, forged or foreign.
    /// Only the exact text <see cref="Issue"/> writes is accepted: no padding, no whitespace, and no
    /// other spelling of the same bytes (a last character whose unused bits are set).
    /// </summary>
    public bool TryRead(string decisionId, string experimentId, long incarnation, out DecisionToken token)
    {
        token = default;
        if (decisionId is null || decisionId.Length != EncodedLength) return false;
        Span<byte> bytes = stackalloc byte[PayloadLength + TagLength];
        // The OperationStatus overload reports bad input instead of throwing (the bool one throws on padding).
        if (Base64Url.DecodeFromChars(decisionId, bytes, out _, out int written) != OperationStatus.Done
            || written != bytes.Length || bytes[0] != Version) return false;
        Span<char> canonical = stackalloc char[EncodedLength];
        if (!Base64Url.TryEncodeToChars(bytes, canonical, out _) || !canonical.SequenceEqual(decisionId)) return false;
        Span<byte> expected = stackalloc byte[TagLength];
        Sign(experimentId, incarnation, bytes[..PayloadLength], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, bytes.Slice(PayloadLength, TagLength))) return false;
        token = new DecisionToken(
            BinaryPrimitives.ReadInt64BigEndian(bytes[1..]),
            BinaryPrimitives.ReadInt32BigEndian(bytes[9..]),
            BinaryPrimitives.ReadInt64BigEndian(bytes[13..]));
        return true;
    }

    private void Sign(string experimentId, long incarnation, ReadOnlySpan<byte> payload, Span<byte> tag)
    {
        // experiment id (≤ 64 ASCII characters, length-prefixed) | incarnation | payload
        Span<byte> message = stackalloc byte[1 + 256 + 8 + PayloadLength];
        int idLength = Encoding.UTF8.GetBytes(experimentId, message[1..257]);
        message[0] = (byte)idLength;
        BinaryPrimitives.WriteInt64BigEndian(message[(1 + idLength)..], incarnation);
        payload.CopyTo(message[(9 + idLength)..]);
        Span<byte> mac = stackalloc byte[32];
        IncrementalHash keyed = hmac.Value!;
        keyed.AppendData(message[..(9 + idLength + PayloadLength)]);
        keyed.GetHashAndReset(mac);
        mac[..TagLength].CopyTo(tag);
    }
}
