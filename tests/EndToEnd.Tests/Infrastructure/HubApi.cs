using System.Net.Http.Json;
using System.Text.Json;

namespace IntegrationHub.EndToEnd.Tests.Infrastructure;

/// <summary>What the SaaS backend and the tests do over HTTP, beside the browser: sign tenants up and watch them, send events.</summary>
public sealed class HubApi(EndToEndHub hub)
{
    private static int _sequence;

    /// <summary>A tenant id unique in this run (the hub and sandbox live for the whole assembly).</summary>
    public static string NewTenantId(string prefix) =>
        $"{prefix}-{Interlocked.Increment(ref _sequence)}-{Guid.NewGuid().ToString("N")[..6]}";

    public async Task SignUpAsync(string tenantId, string? name = null)
    {
        using var client = hub.CreateClient(EndToEndHub.ServiceKey);
        using var response = await client.PostAsJsonAsync("/api/tenants", new { tenantId, name = name ?? tenantId });
        response.EnsureSuccessStatusCode();
    }

    public async Task<JsonElement> GetTenantAsync(string tenantId)
    {
        using var client = hub.CreateClient(EndToEndHub.ServiceKey);
        return await client.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}");
    }

    /// <summary>Polls the tenant until its Alloy account reaches <paramref name="state"/>, within a deadline.</summary>
    public Task<JsonElement> WaitForStateAsync(string tenantId, string state, TimeSpan? timeout = null) =>
        Poll.UntilAsync(
            () => GetTenantAsync(tenantId),
            tenant => tenant.GetProperty("alloy").GetProperty("state").GetString() == state,
            $"tenant {tenantId} to be {state}",
            timeout ?? TimeSpan.FromSeconds(20));

    public async Task<IReadOnlyList<JsonElement>> InstallationsAsync(string tenantId)
    {
        using var client = hub.CreateClient(EndToEndHub.ServiceKey);
        var body = await client.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/installations");
        return [.. body.GetProperty("items").EnumerateArray()];
    }

    public async Task<IReadOnlyList<JsonElement>> RefreshInstallationsAsync(string tenantId)
    {
        using var client = hub.CreateClient(EndToEndHub.ServiceKey);
        using var response = await client.PostAsync($"/api/tenants/{tenantId}/installations/refresh", null);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. body.GetProperty("items").EnumerateArray()];
    }

    /// <summary>Sends an application event for the tenant the way the SaaS backend does (service key); returns its eventId.</summary>
    public async Task<string> SendEventAsync(string tenantId, string eventName, object data)
    {
        using var client = hub.CreateClient(EndToEndHub.ServiceKey);
        using var response = await client.PostAsJsonAsync($"/api/tenants/{tenantId}/events", new { @event = eventName, data });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("eventId").GetString()!;
    }

    public async Task<JsonElement> GetEventAsync(string tenantId, string eventId)
    {
        using var client = hub.CreateClient(EndToEndHub.ServiceKey);
        return await client.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/events/{eventId}");
    }

    /// <summary>Polls the event until its status is <paramref name="status"/>, within a deadline.</summary>
    public Task<JsonElement> WaitForEventAsync(string tenantId, string eventId, string status, TimeSpan? timeout = null) =>
        Poll.UntilAsync(
            () => GetEventAsync(tenantId, eventId),
            e => e.GetProperty("status").GetString() == status,
            $"event {eventId} of {tenantId} to be {status}",
            timeout ?? TimeSpan.FromSeconds(30));

    /// <summary>What an admin's <c>POST /api/admin/events/{eventId}/replay</c> answers, as it is.</summary>
    public async Task<HttpResponseMessage> ReplayEventAsync(string eventId)
    {
        using var client = hub.CreateClient(EndToEndHub.AdminKey);
        return await client.PostAsync($"/api/admin/events/{eventId}/replay", null);
    }

    public async Task<string> MemberJwtAsync(string tenantId)
    {
        using var client = hub.CreateClient();
        using var response = await client.PostAsJsonAsync("/dev/jwt", new { tenantId });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }
}
