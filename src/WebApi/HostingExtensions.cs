using System.Security.Cryptography;
using IntegrationHub.Infrastructure.Alloy;
using IntegrationHub.WebApi.Auth;
using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Formatting.Compact;

namespace IntegrationHub.WebApi;

public static class HostingExtensions
{
    /// <summary>Serilog, configured once: levels from configuration, JSON in Production, text elsewhere.</summary>
    public static IServiceCollection AddHubLogging(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddSerilog((sp, lc) =>
        {
            lc.ReadFrom.Configuration(configuration)
                .ReadFrom.Services(sp)
                .Enrich.FromLogContext();
            if (environment.IsProduction())
            {
                lc.WriteTo.Console(new RenderedCompactJsonFormatter());
            }
            else
            {
                lc.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
            }
        });
        return services;
    }

    /// <summary>Configured origins only; by default none (the hub's own pages are same-origin).</summary>
    public static IServiceCollection AddHubCors(this IServiceCollection services, IConfiguration configuration)
    {
        var origins = configuration.GetSection("Cors:Origins").Get<string[]>() ?? [];
        services.AddCors(o => o.AddDefaultPolicy(p =>
        {
            if (origins.Length > 0)
            {
                p.WithOrigins(origins).WithMethods("GET", "POST", "DELETE").WithHeaders("Authorization", "Content-Type").SetPreflightMaxAge(TimeSpan.FromMinutes(10));
            }
        }));
        return services;
    }

    /// <summary>Refuses to start on a configuration that cannot work, with a message that says what to fix.</summary>
    public static IServiceCollection AddHubOptionsValidation(this IServiceCollection services, bool sandbox)
    {
        services.AddOptions<AuthOptions>().Validate(ValidateAuth.Check, ValidateAuth.Message).ValidateOnStart();
        services.AddOptions<AlloyClientOptions>()
            .Validate(o => sandbox || !string.IsNullOrWhiteSpace(o.ApiKey),
                "Alloy:ApiKey is not set. Set it (environment variable Alloy__ApiKey) or run in Development with the sandbox (Alloy:Sandbox=true).")
            .Validate(o => Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out _), "Alloy:BaseUrl must be an absolute URL.")
            .ValidateOnStart();
        return services;
    }

    private static class ValidateAuth
    {
        public const string Message =
            "Auth is misconfigured: each Auth:ServiceKeys entry needs a Name, a 64-character lowercase hex Sha256 and roles 'service' and/or 'admin'; " +
            "Auth:Jwt:SigningKey must be base64 of at least 32 bytes; Auth:Jwt:Issuer and Auth:Jwt:Audience are required when a signing key or authority is set.";

        public static bool Check(AuthOptions o)
        {
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            foreach (var key in o.ServiceKeys)
            {
                if (string.IsNullOrWhiteSpace(key.Name)
                    || !ServiceKeyAuthenticationHandler.TryParseHash(key.Sha256, hash)
                    || key.Roles.Count == 0
                    || key.Roles.Any(r => r is not (HubClaims.ServiceRole or HubClaims.AdminRole)))
                {
                    return false;
                }
            }

            var jwt = o.Jwt;
            if (!string.IsNullOrWhiteSpace(jwt.SigningKey))
            {
                var buffer = new byte[jwt.SigningKey.Length];
                if (!Convert.TryFromBase64String(jwt.SigningKey, buffer, out var written) || written < 32)
                {
                    return false;
                }
            }

            var validating = !string.IsNullOrWhiteSpace(jwt.SigningKey) || !string.IsNullOrWhiteSpace(jwt.Authority);
            return !validating || (!string.IsNullOrWhiteSpace(jwt.Issuer) && !string.IsNullOrWhiteSpace(jwt.Audience));
        }
    }
}
