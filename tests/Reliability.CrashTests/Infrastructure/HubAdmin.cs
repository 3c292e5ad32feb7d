using System.Net.Http.Json;
using System.Text.Json;

namespace IntegrationHub.Reliability.CrashTests.Infrastructure;

/// <summary>
/// The hub's admin view of its tenants (<c>GET /api/admin/tenants</c>, cursor-paged), of its webhook endpoints
/// (<c>/api/admin/webhook-endpoints</c>) and of its tenant events (<c>GET /api/admin/events</c>).
/// </summary>
public static class HubAdmin
{
    private const int PageSize = 500;

    /// <summary>A smaller page for deliveries, so that reading 300 of them walks several cursors.</summary>
    private const int DeliveryPageSize = 100;

    /// <summary>Registers an endpoint for every event type; returns its id and signing secret.</summary>
    public static async Task<(string Id, string Secret)> CreateWebhookEndpointAsync(this HttpClient admin, string url, CancellationToken cancellationToken)
    {
        using var response = await admin.PostAsJsonAsync("/api/admin/webhook-endpoints", new { url, description = "crash test receiver" }, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != System.Net.HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Registering the webhook endpoint answered {(int)response.StatusCode}: {body}");
        }

        var endpoint = JsonDocument.Parse(body).RootElement;
        return (endpoint.GetProperty("id").GetString()!, endpoint.GetProperty("secret").GetString()!);
    }

    /// <summary>Every delivery of the endpoint in <paramref name="status"/>, following <c>nextCursor</c> to the end.</summary>
    public static async Task<IReadOnlyList<DeliverySnapshot>> WebhookDeliveriesAsync(
        this HttpClient admin, string endpointId, string status, CancellationToken cancellationToken)
    {
        var deliveries = new List<DeliverySnapshot>();
        string? cursor = null;
        do
        {
            var query = $"/api/admin/webhook-endpoints/{Uri.EscapeDataString(endpointId)}/deliveries?status={status}&limit={DeliveryPageSize}"
                + (cursor is null ? string.Empty : $"&cursor={Uri.EscapeDataString(cursor)}");
            var page = await admin.GetFromJsonAsync<JsonElement>(query, cancellationToken);
            deliveries.AddRange(page.GetProperty("items").EnumerateArray().Select(DeliverySnapshot.From));
            cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);

        return deliveries;
    }

    /// <summary>Every tenant event (<c>GET /api/admin/events</c>), in <paramref name="status"/> when given, following <c>nextCursor</c> to the end.</summary>
    public static async Task<IReadOnlyList<EventSnapshot>> EventsAsync(this HttpClient admin, string? status, CancellationToken cancellationToken)
    {
        var events = new List<EventSnapshot>();
        string? cursor = null;
        do
        {
            var query = $"/api/admin/events?limit={PageSize}"
                + (status is null ? string.Empty : $"&status={status}")
                + (cursor is null ? string.Empty : $"&cursor={Uri.EscapeDataString(cursor)}");
            var page = await admin.GetFromJsonAsync<JsonElement>(query, cancellationToken);
            events.AddRange(page.GetProperty("items").EnumerateArray().Select(EventSnapshot.From));
            cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);

        return events;
    }

    public static async Task<IReadOnlyList<TenantSnapshot>> TenantsAsync(this HttpClient admin, CancellationToken cancellationToken)
    {
        var tenants = new List<TenantSnapshot>();
        string? cursor = null;
        do
        {
            var query = $"/api/admin/tenants?limit={PageSize}"
                + (cursor is null ? string.Empty : $"&cursor={Uri.EscapeDataString(cursor)}");
            var page = await admin.GetFromJsonAsync<JsonElement>(query, cancellationToken);
            tenants.AddRange(page.GetProperty("items").EnumerateArray().Select(TenantSnapshot.From));
            cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);

        return tenants;
    }
}

public sealed record TenantSnapshot(
    string TenantId, string? State, string? UserId, string? Username, int Attempts, string? LastError, DateTimeOffset? NextAttemptAt)
{
    public static TenantSnapshot From(JsonElement tenant)
    {
        var alloy = tenant.GetProperty("alloy");
        if (alloy.ValueKind != JsonValueKind.Object)
        {
            return new TenantSnapshot(tenant.GetProperty("tenantId").GetString()!, null, null, null, 0, null, null);
        }

        return new TenantSnapshot(
            tenant.GetProperty("tenantId").GetString()!,
            alloy.GetProperty("state").GetString(),
            alloy.GetProperty("userId").GetString(),
            alloy.GetProperty("username").GetString(),
            alloy.GetProperty("attempts").GetInt32(),
            alloy.GetProperty("lastError").GetString(),
            alloy.GetProperty("nextAttemptAt").ValueKind == JsonValueKind.Null ? null : alloy.GetProperty("nextAttemptAt").GetDateTimeOffset());
    }
}

/// <summary>A tenant event as the admin listing shows it.</summary>
public sealed record EventSnapshot(
    string EventId, string TenantId, string Event, string Status, int Attempts, DateTimeOffset AcceptedAt, DateTimeOffset? DeliveredAt, string? LastError)
{
    public static EventSnapshot From(JsonElement e) => new(
        e.GetProperty("eventId").GetString()!,
        e.GetProperty("tenantId").GetString()!,
        e.GetProperty("event").GetString()!,
        e.GetProperty("status").GetString()!,
        e.GetProperty("attempts").GetInt32(),
        e.GetProperty("acceptedAt").GetDateTimeOffset(),
        e.TryGetProperty("deliveredAt", out var delivered) && delivered.ValueKind == JsonValueKind.String ? delivered.GetDateTimeOffset() : null,
        e.TryGetProperty("lastError", out var error) && error.ValueKind == JsonValueKind.String ? error.GetString() : null);
}

public sealed record DeliverySnapshot(long Id, string MessageId, string Type, string Status, int Attempts)
{
    public static DeliverySnapshot From(JsonElement delivery) => new(
        delivery.GetProperty("id").GetInt64(),
        delivery.GetProperty("messageId").GetString()!,
        delivery.GetProperty("type").GetString()!,
        delivery.GetProperty("status").GetString()!,
        delivery.GetProperty("attempts").GetInt32());
}
