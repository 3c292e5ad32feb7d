using System.Security.Claims;
using IntegrationHub.Domain.Tenants;
using IntegrationHub.WebApi.Auth;
using IntegrationHub.WebApi.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationHub.WebApi.Endpoints;

/// <summary>
/// <c>POST /dev/jwt</c>: plays the SaaS's identity provider in Development only, signing frontend JWTs with the
/// development signing key so a first run (curl, the demo page) needs no identity provider. Never mapped
/// outside the Development environment.
/// </summary>
public static class DevelopmentEndpoints
{
    public static IEndpointRouteBuilder MapDevelopmentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/dev/jwt", IssueDevelopmentJwt).WithTags("Development").AllowAnonymous()
            .WithSummary("Development only: a frontend JWT for a tenant member (or an admin), signed with the development key.");
        return app;
    }

    public sealed record DevelopmentJwtRequest(string? TenantId, bool Admin = false, string? Subject = null, int LifetimeMinutes = 60);

    public sealed record DevelopmentJwtResponse(string Token, DateTimeOffset ExpiresAt);

    public static Results<Ok<DevelopmentJwtResponse>, ProblemHttpResult> IssueDevelopmentJwt(
        DevelopmentJwtRequest request, IOptions<AuthOptions> auth, TimeProvider time, HttpContext http)
    {
        var jwt = auth.Value.Jwt;
        if (string.IsNullOrWhiteSpace(jwt.SigningKey))
        {
            return new Domain.Common.Error("validation", "No Auth:Jwt:SigningKey is configured, so the hub cannot sign development tokens.", Domain.Common.ErrorType.Validation).ToProblem(http);
        }

        if (request.TenantId is not null && !TenantId.IsValid(request.TenantId))
        {
            return Domain.Common.Error.Validation("tenantId", "A tenant id is 1 to 64 characters: letters, digits, '.', '_' and '-'.").ToProblem(http);
        }

        if (request.TenantId is null && !request.Admin)
        {
            return Domain.Common.Error.Validation("tenantId", "Give a tenantId (tenant member), or admin: true.").ToProblem(http);
        }

        if (request.LifetimeMinutes is < 1 or > 24 * 60)
        {
            return Domain.Common.Error.Validation("lifetimeMinutes", "lifetimeMinutes must be between 1 and 1440.").ToProblem(http);
        }

        var now = time.GetUtcNow();
        var expires = now.AddMinutes(request.LifetimeMinutes);
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = request.Subject ?? (request.TenantId is null ? "dev-admin" : $"dev-user@{request.TenantId}"),
        };
        if (request.TenantId is not null)
        {
            claims[jwt.TenantClaim] = request.TenantId;
        }

        if (request.Admin)
        {
            claims["role"] = jwt.AdminRole;
        }

        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = jwt.Issuer,
            Audience = jwt.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = claims,
            Subject = new ClaimsIdentity(),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(jwt.SigningKey)), SecurityAlgorithms.HmacSha256),
        });
        return TypedResults.Ok(new DevelopmentJwtResponse(token, expires));
    }
}
