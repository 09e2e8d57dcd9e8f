using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Bandits.Server.Api;

/// <summary>
/// Bodies the framework could not bind (it throws, as RouteHandlerOptions.ThrowOnBadRequest is
/// set) answered in the contract's words: JSON errors naming the field, a required body that is
/// missing. The framework's own messages name .NET types and parameters.
/// </summary>
public sealed class BadRequestBodyHandler(IOptions<JsonOptions> json) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad) return false;
        // The request's endpoint and route values, as they were before the exception handler cleared them.
        IExceptionHandlerFeature? failed = context.Features.Get<IExceptionHandlerFeature>();
        Type? body = failed?.Endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        // The id rule comes first, as for a body that could be read.
        IResult answer = ValidationFilter.IdProblem(context.Request.Method, failed?.RouteValues) ?? Describe(context, bad, body);
        await answer.ExecuteAsync(context);
        return true;
    }

    private IResult Describe(HttpContext context, BadHttpRequestException bad, Type? body)
    {
        if (bad.InnerException is JsonException e && body is not null)
        {
            (string field, string message) = JsonErrors.Describe(e, body, json.Value.SerializerOptions);
            return Problems.Validation(new() { [field] = [message] });
        }
        // A required body that is absent, or the JSON literal null. (Another media type never gets
        // here: routing answers it with a 415 first, from the endpoint's accepted types.)
        if (bad.StatusCode == StatusCodes.Status400BadRequest && body is not null)
            return Problems.Validation(new()
            {
                ["body"] = [context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true
                    ? $"The body must be {JsonErrors.Describe(body)}." : "A JSON body is required."],
            });
        return TypedResults.Problem(statusCode: bad.StatusCode);
    }
}
