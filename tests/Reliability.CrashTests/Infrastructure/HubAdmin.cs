using System.Net.Http.Json;
using System.Text.Json;

namespace IntegrationHub.Reliability.CrashTests.Infrastructure;

/// <summary>The hub's admin view of its tenants (<c>GET /api/admin/tenants</c>, cursor-paged).</summary>
public static class HubAdmin
{
    private const int PageSize = 500;

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
