using System.Reflection;

namespace Bandits.Server.Api;

/// <summary>
/// The one place where requests of the experiment routes are checked before their handlers run:
/// the id rule (<see cref="IdProblem"/>) and the rules of an <see cref="IValidatedBody"/> body.
/// Handlers receive only valid ids and bodies.
/// </summary>
public static class ValidationFilter
{
    /// <summary>Adds the checks to every endpoint of <paramref name="group"/>.</summary>
    public static RouteGroupBuilder ValidateRequests(this RouteGroupBuilder group)
    {
        // What the filter answers, for OpenAPI: a 400 where a body has rules (the 404 of an id is in every handler's results).
        ((IEndpointConventionBuilder)group).Add(endpoint =>
        {
            if (endpoint.Metadata.OfType<MethodInfo>().FirstOrDefault() is { } handler && ValidatedBody(handler) >= 0)
                endpoint.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(HttpValidationProblemDetails), ["application/problem+json"]));
        });
        return group.AddEndpointFilterFactory((factory, next) =>
        {
            int body = ValidatedBody(factory.MethodInfo);
            return async context =>
            {
                if (IdProblem(context.HttpContext.Request.Method, context.HttpContext.Request.RouteValues) is { } idProblem) return idProblem;
                if (body >= 0 && context.Arguments[body] is IValidatedBody value && value.Errors() is { Count: > 0 } errors) return Problems.Validation(errors);
                return await next(context);
            };
        });
    }

    private static int ValidatedBody(MethodInfo handler) =>
        Array.FindIndex(handler.GetParameters(), p => p.ParameterType.IsAssignableTo(typeof(IValidatedBody)));

    /// <summary>
    /// The answer to a request whose {id} is not a valid experiment id, or null: a PUT is a 400
    /// naming the id; any other route a 404, as no such experiment can exist.
    /// </summary>
    public static IResult? IdProblem(string method, RouteValueDictionary? route)
    {
        if (route?["id"] is not string id || ExperimentValidation.IsValidId(id)) return null;
        return HttpMethods.IsPut(method)
            ? Problems.Validation(new() { ["id"] = [ExperimentValidation.IdError(id)] })
            : Problems.ExperimentNotFound(id);
    }
}
