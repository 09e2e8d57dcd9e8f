// The limit of the benchmark suite: what HTTP alone reaches on the machine. One constant
// choose-shaped answer, serialized per request like the service's answers; no
// authentication, no middleware, warnings-only logging. Listens where --urls says.
using Bandits.Bench.Bare;
using Microsoft.AspNetCore.Http.HttpResults;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);

var app = builder.Build();
app.MapPost("/v1/experiments/{id}/choose", Choose);
app.MapPost("/choose", Choose);
app.Run();

static Ok<ChooseAnswer> Choose() => TypedResults.Ok(ChooseAnswer.Constant);
