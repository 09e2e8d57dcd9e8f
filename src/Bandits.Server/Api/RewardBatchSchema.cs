using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Bandits.Server.Api;

/// <summary>
/// <see cref="RewardBatch"/> in the OpenAPI document: one reward event or an array of them. Its
/// converter reads it, so the generator alone sees no shape at all.
/// </summary>
public sealed class RewardBatchSchema : IOpenApiSchemaTransformer
{
    public async Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type != typeof(RewardBatch)) return;
        schema.OneOf =
        [
            await context.GetOrCreateSchemaAsync(typeof(RewardEvent), null, cancellationToken),
            await context.GetOrCreateSchemaAsync(typeof(RewardEvent[]), null, cancellationToken),
        ];
    }
}
