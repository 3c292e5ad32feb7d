using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace IntegrationHub.WebApi.Errors;

public static class ProblemDetailsSetup
{
    /// <summary>Every problem gets a <c>type</c> under <c>/problems/</c>, a title and the request's <c>traceId</c>.</summary>
    public static IServiceCollection AddHubProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            if (string.IsNullOrEmpty(problem.Type) || problem.Type.StartsWith("https://tools.ietf.org", StringComparison.Ordinal))
            {
                var slug = ProblemTypes.SlugForStatus(status);
                problem.Type = ProblemTypes.Uri(slug);
                problem.Title = ProblemTypes.TitleFor(slug);
            }

            problem.Detail ??= problem.Title;
            problem.Extensions.Remove("requestId");
            problem.Extensions["traceId"] = Activity.Current?.Id
                ?? context.HttpContext.Features.Get<IHttpActivityFeature>()?.Activity.Id
                ?? context.HttpContext.TraceIdentifier;
        });
        services.AddExceptionHandler<HubExceptionHandler>();
        return services;
    }
}
