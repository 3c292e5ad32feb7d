using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace IntegrationHub.TestSupport;

/// <summary>
/// The one client of the Alloy sandbox for tests: its <c>/_sandbox</c> control API (stats, users, faults, the gate,
/// reset) and its Alloy API called as the hub calls it (a key and <c>x-api-version</c>), including the headless
/// install an end user does in Alloy's modal (H1 startInstallation, then H2 completeInstallation).
/// </summary>
/// <param name="http">A client whose base address reaches the sandbox, or the hub that mounts it.</param>
/// <param name="root">
/// The sandbox's path on that address: <see cref="MountedRoot"/> when mounted in the hub, empty when the base address
/// is the sandbox itself (paths are then taken relative to the base address).
/// </param>
public sealed class SandboxClient(HttpClient http, string root = "") : IDisposable
{
    /// <summary>Where the hub mounts its in-process sandbox.</summary>
    public const string MountedRoot = "/sandbox/alloy";

    /// <summary>The sandbox's default Development key (<c>SandboxDefaults.DevelopmentKey</c>; a sandbox test checks they agree).</summary>
    public const string DevelopmentKey = "sandbox-development-key";

    /// <summary>The sandbox's default Production key (<c>SandboxDefaults.ProductionKey</c>).</summary>
    public const string ProductionKey = "sandbox-production-key";

    public const string ApiVersion = "2025-09";

    private readonly string _root = root.TrimEnd('/');

    public HttpClient Http { get; } = http;

    // ---- The Alloy API, as the hub calls it ----

    /// <summary>
    /// Sends one Alloy API request and returns the answer as it is. <paramref name="key"/> null sends no key;
    /// <paramref name="rawBody"/> is sent verbatim (for malformed JSON) instead of <paramref name="body"/>.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        string path,
        object? body = null,
        string? key = DevelopmentKey,
        bool versionHeader = true,
        string? rawBody = null,
        string? userToken = null,
        CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, Resolve(path));
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (versionHeader)
        {
            request.Headers.Add("x-api-version", ApiVersion);
        }

        if (userToken is not null)
        {
            request.Headers.Add("x-alloy-user-token", userToken);
        }

        if (rawBody is not null)
        {
            request.Content = new StringContent(rawBody, Encoding.UTF8, "application/json");
        }
        else if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await Http.SendAsync(request, Token(cancellationToken));
    }

    public Task<HttpResponseMessage> GetAsync(string path, string? key = DevelopmentKey, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, path, key: key, cancellationToken: cancellationToken);

    public Task<HttpResponseMessage> PostAsync(string path, object? body, string? key = DevelopmentKey, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, path, body, key, cancellationToken: cancellationToken);

    public Task<HttpResponseMessage> PutAsync(string path, object? body, string? key = DevelopmentKey, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, path, body, key, cancellationToken: cancellationToken);

    public Task<HttpResponseMessage> DeleteAsync(string path, string? key = DevelopmentKey, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, path, key: key, cancellationToken: cancellationToken);

    /// <summary>Calls the Alloy API and returns the JSON answer; throws with the status and body unless it is 2xx.</summary>
    public async Task<JsonElement> AlloyAsync(
        HttpMethod method, string path, object? body = null, string key = DevelopmentKey, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(method, path, body, key, cancellationToken: cancellationToken);
        return await JsonOrThrowAsync(response, $"{method} {path}", cancellationToken);
    }

    /// <summary>Creates a user (U1) and returns its id.</summary>
    public async Task<string> CreateUserAsync(
        string username, string? fullName = "Test User", string key = DevelopmentKey, CancellationToken cancellationToken = default)
    {
        var created = await AlloyAsync(HttpMethod.Post, "users", new { username, fullName }, key, cancellationToken);
        return created.GetProperty("userId").GetString()!;
    }

    /// <summary>Mints a user token (T1) for <paramref name="userId"/>.</summary>
    public async Task<string> GetTokenAsync(string userId, string key = DevelopmentKey, CancellationToken cancellationToken = default)
    {
        var token = await AlloyAsync(HttpMethod.Get, $"users/{userId}/token", key: key, cancellationToken: cancellationToken);
        return token.GetProperty("token").GetString()!;
    }

    /// <summary>
    /// Installs an integration for a user the way Alloy's headless flow does: H1 startInstallation, then H2
    /// completeInstallation with a value for every field of every block. Returns the installationId.
    /// </summary>
    public async Task<string> InstallAsync(
        string userId, string integrationId, string key = DevelopmentKey, CancellationToken cancellationToken = default)
    {
        var form = await AlloyAsync(HttpMethod.Post, "headless/startInstallation", new { userId, integrationId }, key, cancellationToken);
        var installationId = form.GetProperty("installationId").GetString()!;
        var data = form.GetProperty("data").EnumerateArray().Select(block => new
        {
            workflowId = block.GetProperty("workflowId").GetString(),
            blockId = block.GetProperty("blockId").GetString(),
            fields = block.GetProperty("fields").EnumerateArray()
                .Select(field => new { name = field.GetProperty("name").GetString(), value = "value" })
                .ToList(),
        }).ToList();
        await AlloyAsync(HttpMethod.Post, "headless/completeInstallation", new { installationId, data }, key, cancellationToken);
        return installationId;
    }

    /// <summary>The installations of an Alloy user (I1).</summary>
    public async Task<IReadOnlyList<JsonElement>> InstallationsOfUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        var body = await AlloyAsync(HttpMethod.Get, $"installations?userId={Uri.EscapeDataString(userId)}", cancellationToken: cancellationToken);
        return [.. body.GetProperty("data").EnumerateArray()];
    }

    // ---- The control API ----

    /// <summary><c>GET /_sandbox/stats</c> as it is (for the tests of its shape).</summary>
    public async Task<JsonElement> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await Http.GetAsync(Resolve("_sandbox/stats"), Token(cancellationToken));
        return await JsonOrThrowAsync(response, "GET /_sandbox/stats", cancellationToken);
    }

    /// <summary>Users per environment and calls per operation (e.g. <c>POST /users</c>).</summary>
    public async Task<SandboxStats> StatsAsync(CancellationToken cancellationToken = default)
    {
        var stats = await GetStatsAsync(cancellationToken);
        var users = stats.GetProperty("usersByEnvironment").TryGetProperty("Development", out var count) ? count.GetInt32() : 0;
        var calls = stats.GetProperty("calls").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);
        return new SandboxStats(users, calls);
    }

    /// <summary>How many calls the sandbox counted for <paramref name="operation"/>, e.g. <c>POST /users</c>.</summary>
    public async Task<long> CallsAsync(string operation, CancellationToken cancellationToken = default) =>
        (await StatsAsync(cancellationToken)).CallsTo(operation);

    /// <summary>Users of the Development partition (the hub's key is a development key) whose username starts with <paramref name="prefix"/>.</summary>
    public async Task<IReadOnlyList<SandboxUser>> UsersAsync(string prefix = "", CancellationToken cancellationToken = default)
    {
        using var response = await Http.GetAsync(Resolve("_sandbox/users?environment=Development"), Token(cancellationToken));
        var body = await JsonOrThrowAsync(response, "GET /_sandbox/users", cancellationToken);
        var list = body.ValueKind == JsonValueKind.Array ? body : body.GetProperty("data");
        return list.EnumerateArray()
            .Select(u => new SandboxUser(u.GetProperty("userId").GetString()!, u.GetProperty("username").GetString() ?? string.Empty))
            .Where(u => u.Username.StartsWith(prefix, StringComparison.Ordinal))
            .ToList();
    }

    /// <summary>
    /// <c>GET /_sandbox/events</c>: the custom events E2 accepted for <paramref name="userId"/> (every environment), oldest
    /// first, and how many matched in all (<c>matched</c>; at most <paramref name="limit"/> are returned).
    /// </summary>
    public async Task<(IReadOnlyList<JsonElement> Events, long Matched)> ReceivedEventsAsync(
        string userId, int limit = 100_000, CancellationToken cancellationToken = default)
    {
        var query = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"_sandbox/events?userId={Uri.EscapeDataString(userId)}&limit={limit}");
        using var response = await Http.GetAsync(Resolve(query), Token(cancellationToken));
        var body = await JsonOrThrowAsync(response, "GET /_sandbox/events", cancellationToken);
        return ([.. body.GetProperty("data").EnumerateArray()], body.GetProperty("matched").GetInt64());
    }

    /// <summary><c>PUT /_sandbox/faults</c>, the answer as it is (for the tests of invalid settings).</summary>
    public async Task<HttpResponseMessage> PutFaultsAsync(object faults, CancellationToken cancellationToken = default) =>
        await Http.PutAsync(Resolve("_sandbox/faults"), JsonContent.Create(faults), Token(cancellationToken));

    /// <summary>Replaces the fault settings (latency, error rates, scripted failures); throws if the sandbox refuses them.</summary>
    public async Task SetFaultsAsync(object faults, CancellationToken cancellationToken = default)
    {
        using var response = await PutFaultsAsync(faults, cancellationToken);
        await JsonOrThrowAsync(response, "PUT /_sandbox/faults", cancellationToken);
    }

    public async Task ClearFaultsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await Http.DeleteAsync(Resolve("_sandbox/faults"), Token(cancellationToken));
        await JsonOrThrowAsync(response, "DELETE /_sandbox/faults", cancellationToken);
    }

    /// <summary>
    /// Closes the gate: the next <paramref name="times"/> calls of <paramref name="method"/> <paramref name="path"/>
    /// wait (before their handler runs, or after it with <paramref name="afterHandling"/>) until <see cref="OpenGateAsync"/>.
    /// </summary>
    public async Task CloseGateAsync(
        string method, string path, int times = 1, bool afterHandling = false, CancellationToken cancellationToken = default)
    {
        using var response = await Http.PutAsync(
            Resolve("_sandbox/gate"), JsonContent.Create(new { method, path, times, afterHandling }), Token(cancellationToken));
        await JsonOrThrowAsync(response, "PUT /_sandbox/gate", cancellationToken);
    }

    /// <summary>How many calls wait at the gate now.</summary>
    public async Task<int> HeldAtGateAsync(CancellationToken cancellationToken = default)
    {
        using var response = await Http.GetAsync(Resolve("_sandbox/gate"), Token(cancellationToken));
        return (await JsonOrThrowAsync(response, "GET /_sandbox/gate", cancellationToken)).GetProperty("held").GetInt32();
    }

    /// <summary>Opens the gate: the held calls go on.</summary>
    public async Task OpenGateAsync(CancellationToken cancellationToken = default)
    {
        using var response = await Http.DeleteAsync(Resolve("_sandbox/gate"), Token(cancellationToken));
        await JsonOrThrowAsync(response, "DELETE /_sandbox/gate", cancellationToken);
    }

    /// <summary>Clears all data, faults, the gate and the counters.</summary>
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        using var response = await Http.PostAsync(Resolve("_sandbox/reset"), content: null, Token(cancellationToken));
        await JsonOrThrowAsync(response, "POST /_sandbox/reset", cancellationToken);
    }

    public void Dispose() => Http.Dispose();

    /// <summary>Paths are relative to the sandbox's root; without a root, relative to the client's base address.</summary>
    private string Resolve(string path) => _root.Length == 0 ? path : _root + "/" + path.TrimStart('/');

    private static CancellationToken Token(CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled ? cancellationToken : TestContext.Current.CancellationToken;

    private static async Task<JsonElement> JsonOrThrowAsync(HttpResponseMessage response, string call, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(Token(cancellationToken));
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Sandbox {call} answered {(int)response.StatusCode}: {text}", null, response.StatusCode);
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }
}

public sealed record SandboxUser(string UserId, string Username);

public sealed record SandboxStats(int DevelopmentUsers, IReadOnlyDictionary<string, long> Calls)
{
    public long CallsTo(string operation) => Calls.GetValueOrDefault(operation);
}
