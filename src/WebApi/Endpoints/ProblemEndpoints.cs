using IntegrationHub.WebApi.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IntegrationHub.WebApi.Endpoints;

/// <summary><c>GET /problems/{slug}</c>: what each problem type means.</summary>
public static class ProblemEndpoints
{
    public static IEndpointRouteBuilder MapProblemEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/problems/{slug}", GetProblemType).WithTags("Problems").AllowAnonymous();
        return app;
    }

    public sealed record ProblemTypeResponse(string Type, string Title, string Explanation);

    public static Results<Ok<ProblemTypeResponse>, NotFound> GetProblemType(string slug) =>
        ProblemTypes.All.TryGetValue(slug, out var type)
            ? TypedResults.Ok(new ProblemTypeResponse(ProblemTypes.Uri(type.Slug), type.Title, type.Explanation))
            : TypedResults.NotFound();
}
