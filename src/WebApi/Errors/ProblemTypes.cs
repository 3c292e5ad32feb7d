namespace IntegrationHub.WebApi.Errors;

/// <summary>The problem types the hub answers with; each is explained at <c>GET /problems/{slug}</c>.</summary>
public static class ProblemTypes
{
    public sealed record ProblemType(string Slug, string Title, string Explanation);

    public static readonly IReadOnlyDictionary<string, ProblemType> All = new ProblemType[]
    {
        new("validation", "Validation failed", "The request is malformed or a field is invalid; `errors` names each field and what is wrong with it."),
        new("unauthorized", "Authentication required", "Send a valid `X-Api-Key` (SaaS backend, admins) or `Authorization: Bearer <JWT>` (tenant members)."),
        new("forbidden", "Forbidden", "The caller is authenticated but may not use this route, or this tenant's data."),
        new("not-found", "Not found", "No route or resource at this address."),
        new("method-not-allowed", "Method not allowed", "The route exists but does not accept this HTTP method."),
        new("unsupported-media-type", "Unsupported media type", "Send JSON with `Content-Type: application/json`."),
        new("tenant-not-found", "Tenant not found", "No tenant with this tenantId signed up."),
        new("tenant-conflict", "Tenant conflict", "The tenantId is taken by a tenant with another name; signup is idempotent only for the same name."),
        new("tenant-offboarded", "Tenant offboarded", "The tenant was offboarded; its Alloy user is gone."),
        new("installation-not-found", "Installation not found", "The hub has no record of this installation id."),
        new("provisioning-pending", "Provisioning pending", "The tenant's Alloy user is still being created. Retry after the `Retry-After` seconds."),
        new("provisioning-failed", "Provisioning failed", "Creating the tenant's Alloy user failed permanently or ran out of attempts; an admin can retry it (`POST /api/tenants/{tenantId}/provisioning/retry`)."),
        new("provisioning-not-failed", "Provisioning not failed", "Only a tenant whose provisioning failed can be retried."),
        new("rate-limited", "Too many requests", "The caller's request budget is spent; retry after `Retry-After` seconds."),
        new("alloy-unavailable", "Alloy unavailable", "Alloy did not answer, timed out or failed; retry after `Retry-After` seconds."),
        new("alloy-key-rejected", "Alloy API key rejected", "Alloy refused the hub's API key: it is wrong or was revoked. Operators must configure a valid `Alloy:ApiKey`."),
        new("alloy-rejected", "Alloy rejected the request", "Alloy refused the request; `detail` carries Alloy's message."),
        new("alloy-not-found", "Not found at Alloy", "Alloy does not know the user or resource."),
        new("internal", "Internal error", "An unexpected error; it was logged with the `traceId`."),
        new("unavailable", "Service unavailable", "A dependency of the hub (such as its database) is unavailable; retry later."),
        new("invalid-signature", "Invalid signature", "The webhook's `X-Alloy-Signature` is missing, malformed, or not Alloy's signature of this method, URL and body."),
        new("webhooks-not-configured", "Webhooks not configured", "The hub has no Alloy public key (`AlloyWebhooks:PublicKeyPem`), so it accepts no webhook."),
        new("payload-too-large", "Payload too large", "The request body is larger than the hub accepts."),
        new("webhook-endpoint-not-found", "Webhook endpoint not found", "No webhook endpoint has this id."),
        new("webhook-message-not-found", "Webhook message not found", "No webhook message has this id (`msg_…`, the `webhook-id` header of a delivery)."),
        new("webhook-endpoint-disabled", "Webhook endpoint disabled", "The endpoint is disabled (its `disabledReason` says why); enable it with PATCH `{\"enabled\": true}` before replaying to it."),
        new("event-not-found", "Event not found", "No event with this id (`evt_…`) was accepted for this tenant."),
        new("event-not-failed", "Event not failed", "Only a Failed event can be replayed; a Held or Pending event is still on its way and a Delivered one reached Alloy."),
        new("idempotency-conflict", "Idempotency key reused", "The `Idempotency-Key` was already used for this tenant with another event name or payload; send a new key for a new event."),
        new("unknown-event", "Unknown event", "The event name is not one of the Alloy account's custom events; `knownEvents` lists them."),
    }.ToDictionary(p => p.Slug, StringComparer.Ordinal);

    public static string Uri(string slug) => $"/problems/{slug}";

    public static string SlugForStatus(int status) => status switch
    {
        400 => "validation",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not-found",
        405 => "method-not-allowed",
        413 => "payload-too-large",
        415 => "unsupported-media-type",
        429 => "rate-limited",
        503 => "unavailable",
        _ => "internal",
    };

    public static string TitleFor(string slug) => All.TryGetValue(slug, out var type) ? type.Title : "Error";
}
