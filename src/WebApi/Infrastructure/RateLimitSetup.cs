using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using IntegrationHub.WebApi.Auth;
using IntegrationHub.WebApi.Errors;
using Microsoft.AspNetCore.RateLimiting;

namespace IntegrationHub.WebApi.Infrastructure;

/// <summary>Section <c>RateLimits</c>: requests per minute; 0 disables that limit, a negative value is refused at start.</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    [Range(0, int.MaxValue)]
    public int TenantTokenPerMinute { get; set; } = 60;

    [Range(0, int.MaxValue)]
    public int TenantRefreshPerMinute { get; set; } = 30;

    [Range(0, int.MaxValue)]
    public int ServiceKeyPerMinute { get; set; } = 6000;
}

/// <summary>
/// Per-tenant budgets on the token and refresh endpoints (whoever calls for that tenant) and a per-key budget on
/// everything a service key calls. Over budget: 429 problem+json with <c>Retry-After</c>.
/// </summary>
public static class RateLimitSetup
{
    public const string TenantToken = "tenant-token";
    public const string TenantRefresh = "tenant-refresh";

    public static IServiceCollection AddHubRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        // The limiter's partitions are built once: the budgets are read here, at start.
        var options = configuration.GetSection(RateLimitOptions.SectionName).Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(TenantToken, http => PerTenant(http, options.TenantTokenPerMinute));
            o.AddPolicy(TenantRefresh, http => PerTenant(http, options.TenantRefreshPerMinute));
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                http.User.FindFirst(ServiceKeyAuthenticationHandler.KeyNameClaim)?.Value is { } key && options.ServiceKeyPerMinute > 0
                    ? RateLimitPartition.GetFixedWindowLimiter("key:" + key, _ => Window(options.ServiceKeyPerMinute))
                    : RateLimitPartition.GetNoLimiter(string.Empty));
            o.OnRejected = OnRejectedAsync;
        });
        return services;
    }

    // Each policy has a partitioned limiter of its own, so the tenant id alone is the key (no string built per request).
    private static RateLimitPartition<string> PerTenant(HttpContext http, int perMinute) =>
        perMinute > 0 && http.GetRouteValue(TenantAccessHandler.RouteValue) is string tenantId
            ? RateLimitPartition.GetFixedWindowLimiter(tenantId, _ => Window(perMinute))
            : RateLimitPartition.GetNoLimiter(string.Empty);

    private static FixedWindowRateLimiterOptions Window(int perMinute) => new()
    {
        PermitLimit = perMinute,
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 60;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Type = ProblemTypes.Uri("rate-limited"),
                Title = ProblemTypes.TitleFor("rate-limited"),
                Detail = $"Too many requests. Retry after {seconds} s.",
            },
        });
    }
}
