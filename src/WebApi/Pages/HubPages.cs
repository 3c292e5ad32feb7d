using System.Text;
using Hangfire;
using IntegrationHub.WebApi.Auth;
using Microsoft.AspNetCore.Authentication;
using IntegrationHub.WebApi.Endpoints;
using Microsoft.AspNetCore.StaticFiles;

namespace IntegrationHub.WebApi.Pages;

/// <summary>
/// The hub's browser pages, plain static HTML and JavaScript from <c>wwwroot</c> (nothing in them is secret; every
/// API call they make carries the user's credential): the admin console at <c>/admin/</c>, the Hangfire dashboard at
/// <c>/hangfire</c> (admins, through <see cref="DashboardSession"/>), and in Development the demo SaaS frontend at
/// <c>/demo/</c>, which drives Alloy's real frontend SDK.
/// </summary>
public static class HubPages
{
    public const string AdminPath = "/admin";
    public const string DemoPath = "/demo";

    /// <summary>Admin console: same-origin API calls only, no inline script or style, never framed.</summary>
    public const string AdminContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// Demo page: Alloy's SDK frames its modal from Alloy's app host and calls Alloy's embedded API host (both regions);
    /// it sizes the modal through the CSSOM, which style-src does not restrict.
    /// </summary>
    public const string DemoContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        "connect-src 'self' https://embedded.runalloy.com https://eu-embedded.runalloy.com; " +
        "frame-src https://app.runalloy.com https://eu-app.runalloy.com; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IServiceCollection AddHubPages(this IServiceCollection services)
    {
        services.AddDashboardSession();
        return services;
    }

    /// <summary>
    /// Serves the pages and maps <c>/admin/session</c> and the dashboard. <paramref name="demo"/> is true only in
    /// Development (the demo signs in through <c>/dev/jwt</c>); otherwise <c>/demo</c> answers 404.
    /// </summary>
    public static WebApplication UseHubPages(this WebApplication app, bool demo)
    {
        if (!demo)
        {
            app.Use((http, next) =>
            {
                if (http.Request.Path.StartsWithSegments(DemoPath))
                {
                    http.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }

                return next(http);
            });
        }

        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = context =>
            {
                var http = context.Context;
                var headers = http.Response.Headers;
                if (http.Request.Path.StartsWithSegments(AdminPath))
                {
                    headers.ContentSecurityPolicy = AdminContentSecurityPolicy;
                }
                else if (http.Request.Path.StartsWithSegments(DemoPath))
                {
                    headers.ContentSecurityPolicy = DemoContentSecurityPolicy;
                }

                // Small files, changed by deployments: always revalidated, so a new release is picked up at once.
                headers.CacheControl = "no-cache";
            },
        });

        app.MapAdminSessionEndpoints();
        app.UseWhen(http => http.Request.Path.StartsWithSegments(DashboardSession.DashboardPath), branch => branch.Use(ExplainDashboardRefusal));
        app.UseHangfireDashboard(DashboardSession.DashboardPath, new DashboardOptions
        {
            DashboardTitle = "IntegrationHub jobs",
            AppPath = AdminPath + "/",
            Authorization = [], // not Hangfire's default (local requests only): the session filter decides
            AsyncAuthorization = [new DashboardSessionAuthorizationFilter()],
            IsReadOnlyFunc = DashboardSessionAuthorizationFilter.IsReadOnly,
            DisplayStorageConnectionString = false,
        });
        return app;
    }

    /// <summary>
    /// A browser without a dashboard session gets the same 401 the dashboard would answer, as a page that says where
    /// to sign in; API clients and admitted sessions go on to Hangfire, whose filter is the actual gate.
    /// </summary>
    private static async Task ExplainDashboardRefusal(HttpContext http, RequestDelegate next)
    {
        var wantsPage = http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
        if (!wantsPage || (await http.AuthenticateAsync(DashboardSession.Scheme)) is { Succeeded: true, Principal: { } principal } && principal.IsAdmin())
        {
            await next(http);
            return;
        }

        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'self'; base-uri 'none'; frame-ancestors 'none'";
        await http.Response.WriteAsync(RefusedPage, Encoding.UTF8);
    }

    private const string RefusedPage = """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Sign in first · IntegrationHub jobs</title><link rel="stylesheet" href="/assets/hub.css"></head>
        <body>
        <header class="topbar"><div class="brand"><span class="brand-mark" aria-hidden="true">IH</span>IntegrationHub <span class="brand-sub">Jobs dashboard</span></div></header>
        <main><section class="card refused"><h1>Sign in first</h1>
        <p class="muted">The jobs dashboard is for admins. Sign in to the admin console, then open it from the console's
        <strong>Jobs dashboard</strong> link; the session lasts 20 minutes.</p>
        <p class="form-actions"><a class="btn btn-primary" href="/admin/">Go to the admin console</a></p></section></main>
        </body>
        </html>
        """;
}
