using System.Buffers.Text;
using System.Text.Json;

namespace IntegrationHub.Infrastructure.Tokens;

/// <summary>Reads a JWT's <c>exp</c> claim without validating it (Alloy signs it; to us it is opaque).</summary>
public static class JwtExpiry
{
    public static DateTimeOffset? TryRead(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[1].Length is 0 or > 8192)
        {
            return null;
        }

        try
        {
            var payload = Base64Url.DecodeFromChars(parts[1]);
            using var json = JsonDocument.Parse(payload);
            return json.RootElement.ValueKind == JsonValueKind.Object
                   && json.RootElement.TryGetProperty("exp", out var exp)
                   && exp.ValueKind == JsonValueKind.Number
                   && exp.TryGetInt64(out var seconds)
                   && seconds is > 0 and < 253402300800
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
