namespace IntegrationHub.WebApi.Infrastructure;

/// <summary>
/// Headers on every response: no MIME sniffing, no referrer, and (except for the sandbox's own pages, which Alloy's
/// SDK frames) no framing. The server banner is removed in Kestrel's options.
/// </summary>
public static class SecurityHeaders
{
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, PathString frameablePrefix) =>
        app.Use((http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                if (!http.Request.Path.StartsWithSegments(frameablePrefix))
                {
                    headers.XFrameOptions = "DENY";
                    if (!headers.ContainsKey("Content-Security-Policy"))
                    {
                        headers.ContentSecurityPolicy = "frame-ancestors 'none'";
                    }
                }

                return Task.CompletedTask;
            });
            return next(http);
        });
}
