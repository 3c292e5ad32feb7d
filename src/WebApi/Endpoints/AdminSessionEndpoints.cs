using System.Security.Claims;
using IntegrationHub.WebApi.Auth;
using IntegrationHub.WebApi.Pages;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IntegrationHub.WebApi.Endpoints;

/// <summary>
/// <c>/admin/session</c>: the admin console's sign-in to the Hangfire dashboard. POST (admin credential in the header,
/// as for <c>/api/admin</c>) sets the dashboard cookie; DELETE clears it.
/// </summary>
public static class AdminSessionEndpoints
{
    public static IEndpointRouteBuilder MapAdminSessionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin/session").WithTags("Admin console");
        group.MapPost("/", StartDashboardSession).RequireAuthorization(Policies.Admin)
            .WithSummary("Exchanges the admin credential for a short-lived, HttpOnly, SameSite=Strict cookie that opens /hangfire.")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapDelete("/", (Delegate)EndDashboardSession).AllowAnonymous().WithSummary("Clears the dashboard cookie (sign-out).");
        return app;
    }

    public sealed record DashboardSessionResponse(string DashboardPath, DateTimeOffset ExpiresAt);

    public static async Task<Ok<DashboardSessionResponse>> StartDashboardSession(HttpContext http, TimeProvider time)
    {
        var name = http.User.Identity?.Name ?? http.User.FindFirst("sub")?.Value ?? "admin";
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, name), new Claim(HubClaims.Role, HubClaims.AdminRole)],
            DashboardSession.Scheme, ClaimTypes.Name, HubClaims.Role);
        var expiresAt = time.GetUtcNow().Add(DashboardSession.Lifetime);
        await http.SignInAsync(DashboardSession.Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties
        {
            IsPersistent = false,
            AllowRefresh = false,
            ExpiresUtc = expiresAt,
        });
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new DashboardSessionResponse(DashboardSession.DashboardPath, expiresAt));
    }

    public static async Task<NoContent> EndDashboardSession(HttpContext http)
    {
        await http.SignOutAsync(DashboardSession.Scheme);
        return TypedResults.NoContent();
    }
}
