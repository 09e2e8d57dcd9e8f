namespace Bandits.Testing;

/// <summary>The API keys every test server is configured with, one per role.</summary>
public static class TestKeys
{
    public const string Admin = "test-admin-key";
    public const string App = "test-app-key";
    public const string Producer = "test-producer-key";
    public const string Analyst = "test-analyst-key";

    /// <summary>Settings (configuration keys) that configure the four keys.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Settings()
    {
        (string Key, string Role)[] keys = [(Admin, "admin"), (App, "app"), (Producer, "producer"), (Analyst, "analyst")];
        for (int i = 0; i < keys.Length; i++)
        {
            yield return new($"Auth:Keys:{i}:Name", keys[i].Role);
            yield return new($"Auth:Keys:{i}:Key", keys[i].Key);
            yield return new($"Auth:Keys:{i}:Roles:0", keys[i].Role);
        }
    }
}
