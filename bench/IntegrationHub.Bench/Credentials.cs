using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace IntegrationHub.Bench;

/// <summary>Fresh keys for one run, configured into the hub as a production deployment would (hashes only).</summary>
internal sealed class Credentials
{
    public const string Issuer = "https://bench.integrationhub.local/idp";
    public const string Audience = "integration-hub";

    public string ServiceKey { get; } = "bench-service-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

    public string AdminKey { get; } = "bench-admin-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

    public byte[] SigningKey { get; } = RandomNumberGenerator.GetBytes(32);

    public IReadOnlyDictionary<string, string> HubSettings() => new Dictionary<string, string>
    {
        ["Auth__ServiceKeys__0__Name"] = "bench-service",
        ["Auth__ServiceKeys__0__Sha256"] = Sha256(ServiceKey),
        ["Auth__ServiceKeys__0__Roles__0"] = "service",
        ["Auth__ServiceKeys__1__Name"] = "bench-admin",
        ["Auth__ServiceKeys__1__Sha256"] = Sha256(AdminKey),
        ["Auth__ServiceKeys__1__Roles__0"] = "admin",
        ["Auth__Jwt__Issuer"] = Issuer,
        ["Auth__Jwt__Audience"] = Audience,
        ["Auth__Jwt__SigningKey"] = Convert.ToBase64String(SigningKey),
    };

    /// <summary>An HS256 JWT for a member of <paramref name="tenantId"/>, as the SaaS's identity provider would sign it.</summary>
    public string MemberJwt(string tenantId)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["alg"] = "HS256", ["typ"] = "JWT" }));
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["sub"] = "bench-user-" + tenantId,
            ["tenant_id"] = tenantId,
            ["iss"] = Issuer,
            ["aud"] = Audience,
            ["iat"] = now - 60,
            ["nbf"] = now - 60,
            ["exp"] = now + 4 * 3600,
        }));
        var signature = HMACSHA256.HashData(SigningKey, Encoding.ASCII.GetBytes(header + "." + payload));
        return header + "." + payload + "." + Base64Url(signature);
    }

    private static string Sha256(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
