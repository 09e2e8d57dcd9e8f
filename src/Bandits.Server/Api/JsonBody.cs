using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bandits.Server.Api;

/// <summary>
/// Reads JSON bodies with the errors of the contract: 415 for another media type, 413 past the
/// size limit, 400 with a clear message for malformed JSON (including numbers out of range).
/// </summary>
public static class JsonBody
{
    public static async Task<(JsonElement? Body, IResult? Error)> ReadAsync(HttpRequest request, bool optional, CancellationToken cancellationToken)
    {
        bool empty = request.ContentLength == 0 || (request.ContentLength is null && !request.Headers.TransferEncoding.Any());
        if (empty)
            return optional ? (null, null) : (null, Problems.Validation(new() { ["body"] = ["A JSON body is required."] }));
        if (!request.HasJsonContentType())
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Send the body as application/json."));
        try
        {
            using JsonDocument document = await JsonDocument.ParseAsync(request.Body, default, cancellationToken);
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException)
        {
            return (null, Problems.Validation(new() { ["body"] = ["The body is not valid JSON."] }));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large", detail: e.Message));
        }
        catch (IOException)
        {
            // The body ended early (the client went away mid-request) or its framing was malformed
            // (a chunk size that overflows): the client's fault, not a server error worth a stack trace.
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request",
                detail: "The request body could not be read: it was cut short or its chunked encoding is malformed."));
        }
    }

    /// <summary>Binds a parsed body to <typeparamref name="T"/>; a wrong type or an out-of-range number is a 400.</summary>
    public static (T? Value, IResult? Error) Bind<T>(JsonElement body) where T : class
    {
        try
        {
            return (body.Deserialize<T>(Serialization.Options), null);
        }
        catch (JsonException e)
        {
            (string field, string message) = JsonErrors.Describe(e, typeof(T), Serialization.Options);
            return (null, Problems.Validation(new() { [field] = [message] }));
        }
    }
}
