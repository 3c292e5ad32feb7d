using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace IntegrationHub.WebApi.Errors;

/// <summary>401 and 403 as problem+json, with no hint which part of a credential was wrong.</summary>
public sealed class ProblemAuthorizationResultHandler(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        var (status, slug, detail) = authorizeResult.Challenged
            ? (StatusCodes.Status401Unauthorized, "unauthorized", "Valid credentials are required.")
            : (StatusCodes.Status403Forbidden, "forbidden", "The caller may not use this route for this tenant.");
        if (authorizeResult.Challenged)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer, ApiKey header=\"X-Api-Key\"";
        }

        context.Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Type = ProblemTypes.Uri(slug), Title = ProblemTypes.TitleFor(slug), Detail = detail },
        });
    }
}
