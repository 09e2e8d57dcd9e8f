using Bandits.Grains.Decisions;

namespace Bandits.Server.Tests;

/// <summary>Decision ids already handed out must keep verifying: their wire format never changes.</summary>
public sealed class DecisionIdFormatTests
{
    private static readonly DecisionTokens Tokens = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private static readonly DecisionToken Token = new(Sequence: 1_000_017, ArmIndex: 2, IssuedAt: 1_796_300_000_123);

    /// <summary>Issued for experiment "hero", incarnation 7, by the first release (and by an independent HMAC of the documented layout).</summary>
    private const string Issued = "AQAAAAAAD0JRAAAAAgAAAaI70st74XXHXj7cp1zpZdvMMYvnPA";

    [Fact]
    public void AnIdIssuedBeforeStillVerifiesAndIsIssuedTheSame()
    {
        Assert.Equal(Issued, Tokens.Issue("hero", 7, Token));
        Assert.True(Tokens.TryRead(Issued, "hero", 7, out DecisionToken read));
        Assert.Equal(Token, read);
    }

    [Theory]
    [InlineData("hero", 8)]
    [InlineData("other", 7)]
    public void AnIdOfAnotherExperimentOrIncarnationIsRejected(string experiment, long incarnation) =>
        Assert.False(Tokens.TryRead(Issued, experiment, incarnation, out _));

    [Fact]
    public void ATamperedTruncatedOrPaddedIdIsRejected()
    {
        Assert.False(Tokens.TryRead(Issued[..^1] + (Issued[^1] == 'A' ? 'B' : 'A'), "hero", 7, out _));
        Assert.False(Tokens.TryRead(Issued[..^2], "hero", 7, out _));
        Assert.False(Tokens.TryRead(Issued + "AAAA", "hero", 7, out _));
        Assert.False(Tokens.TryRead("", "hero", 7, out _));
        Assert.False(Tokens.TryRead("not base64url!", "hero", 7, out _));
    }

    /// <summary>Spellings that decode (or nearly decode) to the issued bytes: each is refused, and none throws.</summary>
    public static TheoryData<string> NonCanonicalSpellings() => new()
    {
        Issued + "==",                                   // padded to a multiple of four
        Issued[..^2] + "P=",                             // padding inside the 50 characters
        Issued[..^1] + "B",                              // 'A' and 'B' differ only in the last character's unused bits
        Issued[..^1] + "D",
        Issued[..25] + " " + Issued[25..],               // whitespace, which base64 decoders skip
        Issued[..^1] + "\n",
        Issued[..^1] + "+",                              // base64 (not base64url) alphabet
        Issued.Replace('A', '/'),
        Issued[..^1] + "é",
        new string('A', 50),                             // the right length, the wrong version
        Issued + "A",
    };

    [Theory]
    [MemberData(nameof(NonCanonicalSpellings))]
    public void AnythingButTheIssuedTextIsRejected(string decisionId)
    {
        Assert.NotEqual(Issued, decisionId);
        Assert.False(Tokens.TryRead(decisionId, "hero", 7, out _));
    }
}
