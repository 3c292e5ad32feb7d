using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntegrationHub.AlloySandbox.Store;
using Microsoft.Extensions.Options;

namespace IntegrationHub.AlloySandbox.Tokens;

/// <summary>
/// Issues and checks the per-user JWTs Alloy hands out for the modal: HS256, payload
/// <c>{"user":{"_id":userId},"iat":…,"exp":iat+1800}</c>, written by hand (HMAC-SHA256 + base64url).
/// </summary>
internal sealed class UserTokenService(SandboxState state, TimeProvider time, IOptionsMonitor<AlloySandboxOptions> options)
{
    public const int LifetimeSeconds = 1800;

    private static readonly string EncodedHeader = Base64Url.EncodeToString("""{"alg":"HS256","typ":"JWT"}"""u8);

    public string Issue(string userId)
    {
        var issuedAt = time.GetUtcNow().ToUnixTimeSeconds();
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("user");
            writer.WriteString("_id", userId);
            writer.WriteEndObject();
            writer.WriteNumber("iat", issuedAt);
            writer.WriteNumber("exp", issuedAt + LifetimeSeconds);
            writer.WriteEndObject();
        }

        var signingInput = EncodedHeader + "." + Base64Url.EncodeToString(buffer.ToArray());
        return signingInput + "." + Base64Url.EncodeToString(Sign(signingInput));
    }

    /// <summary>The userId of a valid, unexpired token signed by this sandbox; null otherwise.</summary>
    public string? Validate(string? token)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return null;
        }

        var parts = token.Trim().Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
            if (!header.RootElement.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || alg.GetString() != "HS256")
            {
                return null;
            }

            var signature = Base64Url.DecodeFromChars(parts[2]);
            if (!CryptographicOperations.FixedTimeEquals(signature, Sign(parts[0] + "." + parts[1])))
            {
                return null;
            }

            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            var root = payload.RootElement;
            if (!root.TryGetProperty("exp", out var exp) || !exp.TryGetInt64(out var expiresAt)
                || expiresAt <= time.GetUtcNow().ToUnixTimeSeconds())
            {
                return null;
            }

            return root.TryGetProperty("user", out var user)
                && user.ValueKind == JsonValueKind.Object
                && user.TryGetProperty("_id", out var id)
                && id.ValueKind == JsonValueKind.String
                    ? id.GetString()
                    : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private byte[] Sign(string signingInput)
    {
        var configured = options.CurrentValue.TokenSigningKey;
        var key = string.IsNullOrEmpty(configured) ? state.SigningKey : Encoding.UTF8.GetBytes(configured);
        return HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(signingInput));
    }
}
