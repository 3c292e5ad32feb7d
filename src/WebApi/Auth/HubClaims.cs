using System.Security.Claims;

namespace IntegrationHub.WebApi.Auth;

/// <summary>The hub's own view of a caller, whichever way it authenticated.</summary>
public static class HubClaims
{
    /// <summary>Role claim type on every authenticated principal (service key roles and the JWT admin role are mapped to it; a token cannot carry it directly).</summary>
    public const string Role = "hub:role";
    public const string ServiceRole = "service";
    public const string AdminRole = "admin";

    /// <summary>Claim carrying the tenant a frontend user belongs to.</summary>
    public const string Tenant = "hub:tenant";

    public static bool IsService(this ClaimsPrincipal user) => user.HasClaim(Role, ServiceRole);

    public static bool IsAdmin(this ClaimsPrincipal user) => user.HasClaim(Role, AdminRole);

    public static string? TenantOf(this ClaimsPrincipal user) => user.FindFirst(Tenant)?.Value;
}
