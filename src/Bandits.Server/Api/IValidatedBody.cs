namespace Bandits.Server.Api;

/// <summary>A request body that knows its own rules; <see cref="ValidationFilter"/> applies them before the handler runs.</summary>
public interface IValidatedBody
{
    /// <summary>Field → messages; null (nothing allocated, as on every valid choose) or empty when the body is valid.</summary>
    Dictionary<string, string[]>? Errors();
}
