using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationHub.WebApi.FunctionalTests.Infrastructure;

/// <summary>Frontend JWTs like the SaaS's identity provider would issue (development issuer, audience and key).</summary>
public static class TestJwt
{
    public const string Issuer = "https://integrationhub.local/dev-idp";
    public const string Audience = "integration-hub";
    public const string SigningKeyBase64 = "aW50ZWdyYXRpb24taHViLWRldmVsb3BtZW50LXNpZ25pbmcta2V5LW5vdC1hLXNlY3JldA==";

    public static string ForMember(string tenantId) => Create(tenantId: tenantId);

    public static string ForAdmin() => Create(roles: ["integration-hub-admin"]);

    public static string Create(
        string? tenantId = null,
        string[]? roles = null,
        string issuer = Issuer,
        string audience = Audience,
        string? signingKeyBase64 = null,
        DateTime? expires = null,
        DateTime? notBefore = null,
        IDictionary<string, object>? extraClaims = null)
    {
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object> { ["sub"] = "user-" + Guid.NewGuid().ToString("N")[..8] };
        if (tenantId is not null)
        {
            claims["tenant_id"] = tenantId;
        }

        if (roles is not null)
        {
            claims["roles"] = roles;
        }

        foreach (var (key, value) in extraClaims ?? new Dictionary<string, object>())
        {
            claims[key] = value;
        }

        var expiry = expires ?? now.AddMinutes(30);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = (notBefore ?? now.AddMinutes(-1)) < expiry ? notBefore ?? now.AddMinutes(-1) : expiry.AddMinutes(-1),
            NotBefore = notBefore ?? (expiry < now ? expiry.AddMinutes(-10) : now.AddMinutes(-1)),
            Expires = expiry,
            Claims = claims,
            Subject = new ClaimsIdentity(),
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Convert.FromBase64String(signingKeyBase64 ?? SigningKeyBase64)), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>An unsigned token (<c>alg: none</c>) that claims to belong to <paramref name="tenantId"/>.</summary>
    public static string Unsigned(string tenantId)
    {
        static string B64(string json) => Base64UrlEncoder.Encode(json);
        var exp = DateTimeOffset.UtcNow.AddMinutes(30).ToUnixTimeSeconds();
        return $"{B64("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{B64($"{{\"sub\":\"x\",\"tenant_id\":\"{tenantId}\",\"iss\":\"{Issuer}\",\"aud\":\"{Audience}\",\"exp\":{exp}}}")}.";
    }
}
