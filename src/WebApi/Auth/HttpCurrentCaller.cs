using System.Diagnostics;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Domain.Audit;
using Microsoft.IdentityModel.JsonWebTokens;

namespace IntegrationHub.WebApi.Auth;

/// <summary>
/// The audit trail's view of the current caller, from the request's claims: a service key by its configured name,
/// a JWT by its subject. Admin when the caller holds the admin role, tenant member when it carries a tenant,
/// service otherwise. Outside a request (Hangfire jobs, the reconciler) or without an authenticated user, the
/// caller is the hub itself (<see cref="AuditEntry.SystemActor"/>); every audited route requires authentication.
/// </summary>
public sealed class HttpCurrentCaller(IHttpContextAccessor accessor) : ICurrentCaller
{
    /// <summary>The claim the service-key handler puts the key's name in.</summary>
    private const string KeyNameClaim = ServiceKeyAuthenticationHandler.KeyNameClaim;

    public string Actor => User is { } user
        ? user.FindFirst(KeyNameClaim)?.Value
            ?? user.FindFirst(JwtRegisteredClaimNames.Sub)?.Value
            ?? user.FindFirst(ClaimTypes.Name)?.Value
            ?? "unknown"
        : AuditEntry.SystemActor;

    public AuditActorKind ActorKind => User switch
    {
        null => AuditActorKind.System,
        var user when user.IsAdmin() => AuditActorKind.Admin,
        var user when user.TenantOf() is not null => AuditActorKind.TenantMember,
        _ => AuditActorKind.Service,
    };

    /// <summary>The same id the API's problem responses carry as <c>traceId</c>.</summary>
    public string? TraceId => Activity.Current?.Id
        ?? accessor.HttpContext?.Features.Get<IHttpActivityFeature>()?.Activity.Id
        ?? accessor.HttpContext?.TraceIdentifier;

    private ClaimsPrincipal? User =>
        accessor.HttpContext?.User is { Identity.IsAuthenticated: true } user ? user : null;
}

public static class CurrentCallerSetup
{
    public static IServiceCollection AddHubCurrentCaller(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton<ICurrentCaller, HttpCurrentCaller>();
        return services;
    }
}
