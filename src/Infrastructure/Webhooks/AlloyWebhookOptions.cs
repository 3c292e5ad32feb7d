namespace IntegrationHub.Infrastructure.Webhooks;

/// <summary>Section <c>AlloyWebhooks</c>: how the hub checks that a webhook delivery comes from Alloy.</summary>
public sealed class AlloyWebhookOptions
{
    public const string SectionName = "AlloyWebhooks";

    /// <summary>
    /// Alloy's RSA public key (PEM, <c>-----BEGIN PUBLIC KEY-----</c>), from
    /// <c>https://cdn.runalloy.com/security/alloy_public_key.pem</c>. Unset: the webhook endpoint answers 503 and
    /// accepts nothing.
    /// </summary>
    public string? PublicKeyPem { get; set; }

    /// <summary>Source addresses (IPs or CIDR ranges) allowed to deliver webhooks; empty: any.</summary>
    public IList<string> AllowedIps { get; } = [];

    /// <summary>
    /// The URL exactly as configured in Alloy's dashboard, which is what Alloy signs. Needed when the hub sits behind
    /// a proxy that changes scheme, host or path; unset: the URL the request arrived at.
    /// </summary>
    public string? PublicUrl { get; set; }
}
