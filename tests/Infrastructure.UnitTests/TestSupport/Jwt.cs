using System.Buffers.Text;
using System.Text;

namespace IntegrationHub.Infrastructure.UnitTests.TestSupport;

/// <summary>Builds unsigned JWT-shaped strings; the hub never validates Alloy's signature.</summary>
internal static class Jwt
{
    public static string WithPayload(string payloadJson, string header = """{"alg":"HS256","typ":"JWT"}""") =>
        $"{Encode(header)}.{Encode(payloadJson)}.c2lnbmF0dXJl";

    public static string Expiring(DateTimeOffset expiresAt, string subject = "user-1") =>
        WithPayload($$"""{"sub":"{{subject}}","exp":{{expiresAt.ToUnixTimeSeconds()}}}""");

    public static string Encode(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
}
