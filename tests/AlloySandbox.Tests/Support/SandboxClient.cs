using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace IntegrationHub.AlloySandbox.Tests.Support;

/// <summary>Talks to the sandbox like the hub's client: a key, and the version as a header unless told otherwise.</summary>
public sealed class SandboxClient(HttpClient http) : IDisposable
{
    public const string DevKey = SandboxDefaults.DevelopmentKey;
    public const string ProdKey = SandboxDefaults.ProductionKey;
    public const string ApiVersion = "2025-09";

    public HttpClient Http { get; } = http;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Sends one request; <paramref name="path"/> is relative to the sandbox root (no leading slash).</summary>
    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        string path,
        object? body = null,
        string? key = DevKey,
        bool versionHeader = true,
        string? rawBody = null,
        string? userToken = null)
    {
        using var request = new HttpRequestMessage(method, path);
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

        return await Http.SendAsync(request, Ct);
    }

    public Task<HttpResponseMessage> GetAsync(string path, string? key = DevKey) => SendAsync(HttpMethod.Get, path, key: key);

    public Task<HttpResponseMessage> PostAsync(string path, object? body, string? key = DevKey) => SendAsync(HttpMethod.Post, path, body, key);

    public Task<HttpResponseMessage> PutAsync(string path, object? body, string? key = DevKey) => SendAsync(HttpMethod.Put, path, body, key);

    public Task<HttpResponseMessage> DeleteAsync(string path, string? key = DevKey) => SendAsync(HttpMethod.Delete, path, key: key);

    /// <summary>Creates a user and returns its id, failing the test if the sandbox refuses.</summary>
    public async Task<string> CreateUserAsync(string username, string? fullName = "Test User", string key = DevKey)
    {
        using var response = await PostAsync("users", new { username, fullName }, key);
        var json = await ReadJsonAsync(response, HttpStatusCode.OK);
        return json.GetProperty("userId").GetString()!;
    }

    public async Task<string> GetTokenAsync(string uid, string key = DevKey)
    {
        using var response = await GetAsync($"users/{uid}/token", key);
        var json = await ReadJsonAsync(response, HttpStatusCode.OK);
        return json.GetProperty("token").GetString()!;
    }

    /// <summary>Runs H1 then H2 for every block of the form; returns the installationId.</summary>
    public async Task<string> InstallAsync(string userId, string integrationId, string key = DevKey)
    {
        using var started = await PostAsync("headless/startInstallation", new { userId, integrationId }, key);
        var form = await ReadJsonAsync(started, HttpStatusCode.OK);
        var installationId = form.GetProperty("installationId").GetString()!;
        var data = form.GetProperty("data").EnumerateArray().Select(block => new
        {
            workflowId = block.GetProperty("workflowId").GetString(),
            blockId = block.GetProperty("blockId").GetString(),
            fields = block.GetProperty("fields").EnumerateArray()
                .Select(f => new { name = f.GetProperty("name").GetString(), value = "value" })
                .ToList(),
        }).ToList();
        using var completed = await PostAsync("headless/completeInstallation", new { installationId, data }, key);
        await ReadJsonAsync(completed, HttpStatusCode.OK);
        return installationId;
    }

    public async Task<JsonElement> GetStatsAsync()
    {
        using var response = await Http.GetAsync("_sandbox/stats", Ct);
        return await ReadJsonAsync(response, HttpStatusCode.OK);
    }

    public async Task<HttpResponseMessage> PutFaultsAsync(object faults) =>
        await Http.PutAsync("_sandbox/faults", JsonContent.Create(faults), Ct);

    /// <summary>Asserts the status (showing the body when it differs) and parses the JSON body.</summary>
    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(expected, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json", text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts an Alloy-style error: the status and a body that is exactly <c>{"message": expected}</c>.</summary>
    public static async Task ShouldBeErrorAsync(HttpResponseMessage response, HttpStatusCode status, string? message = null)
    {
        var json = await ReadJsonAsync(response, status);
        json.ValueKind.ShouldBe(JsonValueKind.Object);
        var actual = json.GetProperty("message").GetString();
        actual.ShouldNotBeNullOrWhiteSpace();
        if (message is not null)
        {
            actual.ShouldBe(message);
        }
    }

    public void Dispose() => Http.Dispose();
}
