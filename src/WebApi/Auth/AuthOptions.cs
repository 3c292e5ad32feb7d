using System.ComponentModel.DataAnnotations;

namespace IntegrationHub.WebApi.Auth;

/// <summary>Section <c>Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    public List<ServiceKeyOptions> ServiceKeys { get; set; } = [];

    public JwtOptions Jwt { get; set; } = new();
}

/// <summary>A service key: only its SHA-256 is configured, never the key itself.</summary>
public sealed class ServiceKeyOptions
{
    [Required]
    public string Name { get; set; } = string.Empty;

    /// <summary>Lowercase hex SHA-256 of the key (64 characters).</summary>
    [Required]
    public string Sha256 { get; set; } = string.Empty;

    /// <summary><c>service</c> and/or <c>admin</c>.</summary>
    public List<string> Roles { get; set; } = [];
}

public sealed class JwtOptions
{
    public string? Issuer { get; set; }

    public string? Audience { get; set; }

    /// <summary>OIDC authority (metadata discovery); used instead of <see cref="SigningKey"/> when set.</summary>
    public string? Authority { get; set; }

    /// <summary>Base64 symmetric key (HS256), at least 32 bytes.</summary>
    public string? SigningKey { get; set; }

    public string TenantClaim { get; set; } = "tenant_id";

    public string AdminRole { get; set; } = "integration-hub-admin";

    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}
