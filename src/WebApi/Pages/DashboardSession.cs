using Hangfire.Dashboard;
using IntegrationHub.WebApi.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace IntegrationHub.WebApi.Pages;

/// <summary>
/// The Hangfire dashboard is a browser page, so it cannot send <c>X-Api-Key</c> or a bearer token: an admin signed in
/// to <c>/admin</c> exchanges that credential (<c>POST /admin/session</c>) for this short-lived cookie, HttpOnly,
/// SameSite=Strict, Secure over HTTPS and sent only to <c>/hangfire</c>. It authenticates nothing else: the API keeps
/// its own schemes.
/// </summary>
public static class DashboardSession
{
    public const string Scheme = "DashboardSession";
    public const string CookieName = "hub_dashboard";
    public const string DashboardPath = "/hangfire";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(20);

    public static IServiceCollection AddDashboardSession(this IServiceCollection services)
    {
        services.AddAuthentication().AddCookie(Scheme, o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.Path = DashboardPath;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = Lifetime;
            o.SlidingExpiration = false;
            // Never redirect to a login page: this scheme is only ever checked, never challenged.
            o.Events.OnRedirectToLogin = context =>
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            };
            o.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        return services;
    }
}

/// <summary>Admits the Hangfire dashboard's requests that carry a valid admin <see cref="DashboardSession"/> cookie.</summary>
public sealed class DashboardSessionAuthorizationFilter : IDashboardAsyncAuthorizationFilter
{
    public async Task<bool> AuthorizeAsync(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var result = await http.AuthenticateAsync(DashboardSession.Scheme);
        if (result is { Succeeded: true, Principal: { } principal } && principal.IsAdmin())
        {
            http.User = principal;
            return true;
        }

        return false;
    }

    /// <summary>Dashboard actions (retry, delete, trigger) only for admins; anyone else admitted would only read.</summary>
    public static bool IsReadOnly(DashboardContext context) => !context.GetHttpContext().User.IsAdmin();
}
