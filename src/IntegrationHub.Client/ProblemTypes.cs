namespace IntegrationHub.Client;

/// <summary>
/// Slugs of the problem types the hub answers with (the <c>type</c> member is <c>/problems/{slug}</c>; the hub explains
/// each at <c>GET /problems/{slug}</c>). Compare with <see cref="IntegrationHubProblemException.Slug"/>.
/// </summary>
public static class ProblemTypes
{
    /// <summary>The request is malformed or a field is invalid (400, with <c>errors</c>).</summary>
    public const string Validation = "validation";

    /// <summary>No or a wrong API key (401).</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>The key may not use this route (403).</summary>
    public const string Forbidden = "forbidden";

    /// <summary>No route or resource at this address (404).</summary>
    public const string NotFound = "not-found";

    /// <summary>No tenant with this id signed up (404).</summary>
    public const string TenantNotFound = "tenant-not-found";

    /// <summary>The tenant id is taken by a tenant with another name (409).</summary>
    public const string TenantConflict = "tenant-conflict";

    /// <summary>The tenant was offboarded (409).</summary>
    public const string TenantOffboarded = "tenant-offboarded";

    /// <summary>The tenant's Alloy user is still being created: retry after <see cref="IntegrationHubProblemException.RetryAfter"/> (503).</summary>
    public const string ProvisioningPending = "provisioning-pending";

    /// <summary>Creating the tenant's Alloy user failed permanently (retry provisioning).</summary>
    public const string ProvisioningFailed = "provisioning-failed";

    /// <summary>Only a tenant whose provisioning failed can be retried (409).</summary>
    public const string ProvisioningNotFailed = "provisioning-not-failed";

    /// <summary>The caller's request budget is spent (429).</summary>
    public const string RateLimited = "rate-limited";

    /// <summary>Alloy did not answer or failed (503).</summary>
    public const string AlloyUnavailable = "alloy-unavailable";

    /// <summary>No webhook endpoint has this id (404).</summary>
    public const string WebhookEndpointNotFound = "webhook-endpoint-not-found";

    /// <summary>No webhook message has this id (404).</summary>
    public const string WebhookMessageNotFound = "webhook-message-not-found";

    /// <summary>The webhook endpoint is disabled (409).</summary>
    public const string WebhookEndpointDisabled = "webhook-endpoint-disabled";

    /// <summary>The same <c>Idempotency-Key</c> came with another body (422).</summary>
    public const string IdempotencyConflict = "idempotency-conflict";

    /// <summary>The event is not one of the tenant's Alloy custom events (422; the <c>knownEvents</c> extension lists them).</summary>
    public const string UnknownEvent = "unknown-event";
}
