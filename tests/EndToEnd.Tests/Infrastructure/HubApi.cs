using System.Net.Http.Json;
using System.Text.Json;

namespace IntegrationHub.EndToEnd.Tests.Infrastructure;

/// <summary>What the SaaS backend and the tests do over HTTP, beside the browser: sign tenants up and watch them.</summary>
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
    public async Task<JsonElement> WaitForStateAsync(string tenantId, string state, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var tenant = await GetTenantAsync(tenantId);
            var current = tenant.GetProperty("alloy").GetProperty("state").GetString();
            if (current == state)
            {
                return tenant;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Tenant {tenantId} is {current}, not {state}, after the deadline.");
            }

            await Task.Delay(100);
        }
    }

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

    public async Task<string> MemberJwtAsync(string tenantId)
    {
        using var client = hub.CreateClient();
        using var response = await client.PostAsJsonAsync("/dev/jwt", new { tenantId });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }
}

/// <summary>The standalone sandbox's control API and, as the hub does, its Alloy API with the development key.</summary>
public sealed class SandboxApi(HttpClient client) : IDisposable
{
    public async Task SetFaultsAsync(object faults)
    {
        using var response = await client.PutAsJsonAsync("/_sandbox/faults", faults);
        response.EnsureSuccessStatusCode();
    }

    public async Task ClearFaultsAsync()
    {
        using var response = await client.DeleteAsync("/_sandbox/faults");
        response.EnsureSuccessStatusCode();
    }

    public async Task<JsonElement> AlloyAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AlloySandbox.SandboxDefaults.DevelopmentKey);
        request.Headers.Add("x-api-version", "2025-09");
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Sandbox {method} {path} answered {(int)response.StatusCode}: {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Installs an integration for an Alloy user through the headless API (H1 + H2), as Alloy's modal would.</summary>
    public async Task<string> InstallAsync(string userId, string integrationId)
    {
        var started = await AlloyAsync(HttpMethod.Post, "/headless/startInstallation", new { userId, integrationId });
        var installationId = started.GetProperty("installationId").GetString()!;
        var data = started.GetProperty("data").EnumerateArray().Select(b => new
        {
            workflowId = b.GetProperty("workflowId").GetString(),
            blockId = b.GetProperty("blockId").GetString(),
            fields = b.GetProperty("fields").EnumerateArray().Select(f => new { name = f.GetProperty("name").GetString(), value = "e2e" }).ToArray(),
        }).ToArray();
        await AlloyAsync(HttpMethod.Post, "/headless/completeInstallation", new { installationId, data });
        return installationId;
    }

    public async Task<IReadOnlyList<JsonElement>> InstallationsOfUserAsync(string userId)
    {
        var body = await AlloyAsync(HttpMethod.Get, $"/installations?userId={userId}");
        return [.. body.GetProperty("data").EnumerateArray()];
    }

    public void Dispose() => client.Dispose();
}
