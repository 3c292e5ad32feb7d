using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.AlloySandbox;

namespace IntegrationHub.Scenarios;

/// <summary>
/// What the scenarios need from the Alloy sandbox: its users (to count them) and its headless install flow (to play
/// the end user who installs an integration in Alloy's modal).
/// </summary>
/// <param name="client">A client whose base address reaches the hub (or the standalone sandbox).</param>
/// <param name="root">The sandbox's path on that address: <c>/sandbox/alloy</c> when mounted in the hub, empty standalone.</param>
public sealed class SandboxProbe(HttpClient client, string root = SandboxProbe.MountedRoot)
{
    public const string MountedRoot = "/sandbox/alloy";

    /// <summary>Users of the Development partition whose username starts with <paramref name="prefix"/>.</summary>
    public async Task<IReadOnlyList<(string UserId, string Username)>> UsersAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var body = await client.GetFromJsonAsync<JsonElement>($"{root}/_sandbox/users?environment=Development", cancellationToken);
        var list = body.ValueKind == JsonValueKind.Array ? body : body.GetProperty("data");
        return list.EnumerateArray()
            .Select(u => (u.GetProperty("userId").GetString()!, u.GetProperty("username").GetString() ?? string.Empty))
            .Where(u => u.Item2.StartsWith(prefix, StringComparison.Ordinal))
            .ToList();
    }

    /// <summary>Installs an integration for a user the way Alloy's headless flow does (start, then complete).</summary>
    public async Task<string> InstallAsync(string userId, string integrationId, CancellationToken cancellationToken = default)
    {
        var started = await AlloyAsync(HttpMethod.Post, "/headless/startInstallation", new { userId, integrationId }, cancellationToken);
        var installationId = started.GetProperty("installationId").GetString()!;
        var data = started.GetProperty("data").EnumerateArray().Select(block => new
        {
            workflowId = block.GetProperty("workflowId").GetString(),
            blockId = block.GetProperty("blockId").GetString(),
            fields = block.GetProperty("fields").EnumerateArray().Select(f => new { name = f.GetProperty("name").GetString(), value = "test" }).ToArray(),
        }).ToArray();
        await AlloyAsync(HttpMethod.Post, "/headless/completeInstallation", new { installationId, data }, cancellationToken);
        return installationId;
    }

    private async Task<JsonElement> AlloyAsync(HttpMethod method, string path, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, root + path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SandboxDefaults.DevelopmentKey);
        request.Headers.Add("x-api-version", "2025-09");
        using var response = await client.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Sandbox {method} {path} answered {(int)response.StatusCode}: {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
