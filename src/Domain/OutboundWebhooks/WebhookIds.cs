using System.Security.Cryptography;

namespace IntegrationHub.Domain.OutboundWebhooks;

/// <summary>Random, URL-safe identifiers and secrets of the outbound webhooks.</summary>
public static class WebhookIds
{
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

    /// <summary><paramref name="prefix"/> followed by 24 random lower-case letters and digits (about 124 bits).</summary>
    public static string New(string prefix) => prefix + RandomNumberGenerator.GetString(Alphabet, 24);

    /// <summary>A Standard Webhooks secret: <c>whsec_</c> and the base64 of 32 random bytes.</summary>
    public static string NewSecret() => WebhookEndpoint.SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
