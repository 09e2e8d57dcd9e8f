using System.Security.Cryptography;
using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;

namespace Bandits.Dashboard.Session;

/// <summary>
/// The signed-in user of one circuit. The key is kept, encrypted by Data Protection, in the
/// browser's session storage (gone when the tab closes), so that a reload stays signed in; it is
/// checked again on every restore, so a key removed from the configuration stops working.
/// </summary>
public sealed class DashboardSession(IDashboardSignIn signIn, ProtectedSessionStorage storage)
{
    private const string StorageKey = "bandits.dashboard.key";

    private string? apiKey;
    private Task? restoring;

    public DashboardUser? User { get; private set; }

    /// <summary>Raised when someone signs in or out, or a kept key is restored (the page header shows who).</summary>
    public event Action? Changed;

    /// <summary>The key of the signed-in user, for the actions that the host checks again.</summary>
    public string ApiKey => apiKey ?? throw new InvalidOperationException("Nobody is signed in.");

    /// <summary>Reads a key kept by an earlier page load of this tab; once per circuit.</summary>
    public Task RestoreAsync() => restoring ??= Restore();

    private async Task Restore()
    {
        try
        {
            ProtectedBrowserStorageResult<string> kept = await storage.GetAsync<string>(StorageKey);
            if (kept is { Success: true, Value: { } key } && signIn.SignIn(key).User is { } user)
            {
                (apiKey, User) = (key, user);
                Changed?.Invoke();
            }
        }
        catch (CryptographicException)
        {
            // Encrypted by another server's Data Protection keys (or old ones): sign in again.
            await storage.DeleteAsync(StorageKey);
        }
    }

    /// <summary>Null when signed in, else why the key was refused.</summary>
    public async Task<string?> SignInAsync(string presentedKey)
    {
        SignInOutcome outcome = signIn.SignIn(presentedKey.Trim());
        if (outcome.User is null) return outcome.Refusal;
        (apiKey, User) = (presentedKey.Trim(), outcome.User);
        restoring = Task.CompletedTask;
        await storage.SetAsync(StorageKey, apiKey);
        Changed?.Invoke();
        return null;
    }

    public async Task SignOutAsync()
    {
        (apiKey, User) = (null, null);
        await storage.DeleteAsync(StorageKey);
        Changed?.Invoke();
    }
}
