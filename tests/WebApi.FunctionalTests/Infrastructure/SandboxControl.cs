using System.Net.Http.Json;
using System.Text.Json;

namespace IntegrationHub.WebApi.FunctionalTests.Infrastructure;

/// <summary>Drives the in-process Alloy sandbox: its control API and, as Alloy's customer would, its REST API.</summary>
public sealed class SandboxControl(HttpClient client)
{
    private const string Root = "/sandbox/alloy";

    public async Task<int> CallsAsync(string endpoint)
    {
        var stats = await client.GetFromJsonAsync<JsonElement>($"{Root}/_sandbox/stats");
        return stats.GetProperty("calls").TryGetProperty(endpoint, out var count) ? count.GetInt32() : 0;
    }

    /// <summary>Users of the Development partition whose username starts with <paramref name="prefix"/>.</summary>
    public async Task<IReadOnlyList<(string UserId, string Username)>> UsersAsync(string prefix)
    {
        var body = await client.GetFromJsonAsync<JsonElement>($"{Root}/_sandbox/users?environment=Development");
        var list = body.ValueKind == JsonValueKind.Array ? body : body.GetProperty("data");
        return list.EnumerateArray()
            .Select(u => (u.GetProperty("userId").GetString()!, u.GetProperty("username").GetString() ?? string.Empty))
            .Where(u => u.Item2.StartsWith(prefix, StringComparison.Ordinal))
            .ToList();
    }

    public async Task SetFaultsAsync(object faults)
    {
        using var response = await client.PutAsJsonAsync($"{Root}/_sandbox/faults", faults);
        response.EnsureSuccessStatusCode();
    }

    public async Task ClearFaultsAsync()
    {
        using var response = await client.DeleteAsync($"{Root}/_sandbox/faults");
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Calls the sandbox's Alloy API with the development key, as the hub does.</summary>
    public async Task<JsonElement> AlloyAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, Root + path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", HubFactory.SandboxKey);
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

    /// <summary>Installs an integration for a user the way Alloy's headless flow does (start, then complete).</summary>
    public async Task<string> InstallAsync(string userId, string integrationId)
    {
        var started = await AlloyAsync(HttpMethod.Post, "/headless/startInstallation", new { userId, integrationId });
        var installationId = started.GetProperty("installationId").GetString()!;
        var data = started.GetProperty("data").EnumerateArray().Select(block => new
        {
            workflowId = block.GetProperty("workflowId").GetString(),
            blockId = block.GetProperty("blockId").GetString(),
            fields = block.GetProperty("fields").EnumerateArray().Select(f => new { name = f.GetProperty("name").GetString(), value = "test" }).ToArray(),
        }).ToArray();
        await AlloyAsync(HttpMethod.Post, "/headless/completeInstallation", new { installationId, data });
        return installationId;
    }
}
