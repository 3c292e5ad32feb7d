using Microsoft.AspNetCore.Authorization;

namespace IntegrationHub.WebApi.Auth;

/// <summary>
/// Who may call a <c>/api/tenants/{tenantId}</c> route. The one place that ties a caller to a tenant: a tenant
/// member passes only for the tenant in its token, never another.
/// </summary>
public sealed record TenantAccessRequirement(bool Member, bool Service, bool Admin) : IAuthorizationRequirement;

public sealed class TenantAccessHandler : AuthorizationHandler<TenantAccessRequirement>
{
    public const string RouteValue = "tenantId";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, TenantAccessRequirement requirement)
    {
        var user = context.User;
        if ((requirement.Service && user.IsService()) || (requirement.Admin && user.IsAdmin()))
        {
            context.Succeed(requirement);
        }
        else if (requirement.Member
                 && context.Resource is HttpContext http
                 && http.GetRouteValue(RouteValue) is string routeTenant
                 && user.TenantOf() is { } memberTenant
                 && string.Equals(routeTenant, memberTenant, StringComparison.Ordinal))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

public static class Policies
{
    /// <summary>The SaaS backend only (signup).</summary>
    public const string Service = "service";

    public const string Admin = "admin";

    /// <summary>Tenant member, service, admin: reads of a tenant.</summary>
    public const string TenantRead = "tenant:read";

    /// <summary>Tenant member, service: tokens and refresh.</summary>
    public const string TenantUse = "tenant:use";

    /// <summary>Service, admin: retry, offboard.</summary>
    public const string TenantManage = "tenant:manage";

    public static void Add(AuthorizationOptions options, string scheme)
    {
        AuthorizationPolicy Policy(Action<AuthorizationPolicyBuilder> configure)
        {
            var builder = new AuthorizationPolicyBuilder(scheme).RequireAuthenticatedUser();
            configure(builder);
            return builder.Build();
        }

        options.AddPolicy(Service, Policy(p => p.RequireClaim(HubClaims.Role, HubClaims.ServiceRole)));
        options.AddPolicy(Admin, Policy(p => p.RequireClaim(HubClaims.Role, HubClaims.AdminRole)));
        options.AddPolicy(TenantRead, Policy(p => p.AddRequirements(new TenantAccessRequirement(Member: true, Service: true, Admin: true))));
        options.AddPolicy(TenantUse, Policy(p => p.AddRequirements(new TenantAccessRequirement(Member: true, Service: true, Admin: false))));
        options.AddPolicy(TenantManage, Policy(p => p.AddRequirements(new TenantAccessRequirement(Member: false, Service: true, Admin: true))));
    }
}
