using System.Security.Claims;
using IntegrationHub.WebApi.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationHub.WebApi.Auth;

public static class AuthenticationSetup
{
    /// <summary>Picks the service-key scheme when <c>X-Api-Key</c> is present, else JWT bearer.</summary>
    public const string HubScheme = "Hub";
    public const string JwtScheme = JwtBearerDefaults.AuthenticationScheme;

    public static IServiceCollection AddHubAuthentication(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        var jwt = configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>()?.Jwt ?? new JwtOptions();

        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ServiceKeyAuthenticationHandler>(ServiceKeyAuthenticationHandler.SchemeName, _ => { })
            .AddJwtBearer(JwtScheme, o => ConfigureJwt(o, jwt, environment))
            .AddPolicyScheme(HubScheme, HubScheme, o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(ServiceKeyAuthenticationHandler.HeaderName)
                    ? ServiceKeyAuthenticationHandler.SchemeName
                    : JwtScheme);

        services.AddAuthorization(o => Policies.Add(o, HubScheme));
        services.AddSingleton<IAuthorizationHandler, TenantAccessHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        return services;
    }

    private static void ConfigureJwt(JwtBearerOptions o, JwtOptions jwt, IHostEnvironment environment)
    {
        o.MapInboundClaims = false;
        o.IncludeErrorDetails = false;
        var parameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidIssuer = jwt.Issuer,
            ValidateAudience = true,
            ValidAudience = jwt.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = jwt.ClockSkew,
            NameClaimType = JwtRegisteredClaimNames.Sub,
            RoleClaimType = HubClaims.Role,
        };

        if (!string.IsNullOrWhiteSpace(jwt.Authority))
        {
            o.Authority = jwt.Authority;
            o.RequireHttpsMetadata = !environment.IsDevelopment();
            parameters.ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
                SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.RsaSsaPssSha256];
        }
        else if (!string.IsNullOrWhiteSpace(jwt.SigningKey))
        {
            parameters.IssuerSigningKey = new SymmetricSecurityKey(Convert.FromBase64String(jwt.SigningKey));
            parameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
        }
        else
        {
            // No way to validate frontend tokens is configured: every bearer token is refused.
            parameters.SignatureValidator = (_, _) => throw new SecurityTokenSignatureKeyNotFoundException("No JWT signing key or authority is configured.");
        }

        o.TokenValidationParameters = parameters;
        o.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                context.Principal = ToHubPrincipal(context.Principal!, jwt);
                return Task.CompletedTask;
            },
        };
    }

    /// <summary>
    /// Keeps only what the hub relies on, under its own claim types: the subject, the tenant (from the configured
    /// claim) and the admin role (from <c>role</c>/<c>roles</c>). A token cannot smuggle in hub claims.
    /// </summary>
    private static ClaimsPrincipal ToHubPrincipal(ClaimsPrincipal principal, JwtOptions jwt)
    {
        var claims = new List<Claim>();
        if (principal.FindFirst(JwtRegisteredClaimNames.Sub) is { } sub)
        {
            claims.Add(new Claim(JwtRegisteredClaimNames.Sub, sub.Value));
        }

        if (principal.FindFirst(jwt.TenantClaim) is { Value.Length: > 0 } tenant)
        {
            claims.Add(new Claim(HubClaims.Tenant, tenant.Value));
        }

        var roles = principal.FindAll("role").Concat(principal.FindAll("roles")).Select(c => c.Value);
        if (roles.Contains(jwt.AdminRole, StringComparer.Ordinal))
        {
            claims.Add(new Claim(HubClaims.Role, HubClaims.AdminRole));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, JwtScheme, JwtRegisteredClaimNames.Sub, HubClaims.Role));
    }
}
