using System.Security.Cryptography;
using System.Text;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Infrastructure.OutboundWebhooks;

namespace IntegrationHub.Infrastructure.UnitTests.OutboundWebhooks;

public sealed class WebhookSignatureTests
{
    private static readonly DateTimeOffset Timestamp = DateTimeOffset.FromUnixTimeSeconds(1_764_000_000);

    [Fact]
    public void Sign_WhenTwoSecretsSign_ShouldSendOneStandardSignaturePerSecretSpaceSeparated()
    {
        // Arrange
        var current = "whsec_" + Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var previous = "whsec_" + Convert.ToBase64String(Enumerable.Range(100, 24).Select(i => (byte)i).ToArray());
        var webhook = new OutgoingWebhook("https://hooks.example.com/in", "msg_abc", Timestamp, "{\"type\":\"tenant.provisioned\"}", [current, previous]);

        // Act
        var header = WebhookSender.Sign(webhook);

        // Assert: the HMAC-SHA256 of "{id}.{timestamp}.{body}" with the base64-decoded secret, as the specification says.
        header.Split(' ').ShouldBe([Expected(current, webhook), Expected(previous, webhook)]);
    }

    private static string Expected(string secret, OutgoingWebhook webhook)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var content = $"{webhook.MessageId}.{webhook.Timestamp.ToUnixTimeSeconds()}.{webhook.Body}";
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(content)));
    }
}
