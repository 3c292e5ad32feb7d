using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.Events;

/// <summary>
/// A hub of its own for the event plane's tests: the in-process sandbox, short event retry settings
/// (<c>Events:BaseDelay</c> 50 ms), one fast Alloy retry, small <c>Events:MaxDataBytes</c>, webhooks allowed to reach
/// 127.0.0.1 and a real <see cref="WebhookReceiver"/>. Sandbox faults are global to its sandbox, so a test that sets
/// faults starts a hub of its own (<see cref="StartAsync"/>); the tests without faults share one (<see cref="EventHubCollection"/>).
/// </summary>
public sealed class EventHub : IAsyncLifetime
{
    public const int MaxDataBytes = 1024;

    private readonly IDictionary<string, string?> _overrides;

    public EventHub()
        : this(new Dictionary<string, string?>())
    {
    }

    private EventHub(IDictionary<string, string?> overrides) => _overrides = overrides;

    public ConfiguredHub Hub { get; private set; } = null!;

    public WebhookReceiver Receiver { get; private set; } = null!;

    public SandboxClient Sandbox => Hub.Sandbox;

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A started hub with the event settings and <paramref name="overrides"/> on top.</summary>
    public static async Task<EventHub> StartAsync(IDictionary<string, string?>? overrides = null)
    {
        var hub = new EventHub(overrides ?? new Dictionary<string, string?>());
        await hub.InitializeAsync();
        return hub;
    }

    public async ValueTask InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Alloy:Sandbox"] = "true",
            ["Alloy:Resilience:MaxRetryAttempts"] = "1",
            ["Alloy:Resilience:RetryDelay"] = "00:00:00",
            ["Events:BaseDelay"] = "00:00:00.050",
            ["Events:MaxDelay"] = "00:00:00.200",
            ["Events:MaxAttempts"] = "3",
            ["Events:MaxDataBytes"] = MaxDataBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Hangfire:SchedulePollingInterval"] = "00:00:00.100",
            ["Provisioning:KeyRejectedRetryDelay"] = "00:00:00.500",
            ["RateLimits:ServiceKeyPerMinute"] = "0",
            ["Webhooks:AllowPrivateNetworks"] = "true",
            ["Webhooks:RetrySchedule"] = "00:00:00.100,00:00:00.100",
        };
        foreach (var (key, value) in _overrides)
        {
            settings[key] = value;
        }

        Hub = new ConfiguredHub(settings);
    }

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Receiver.DisposeAsync();
    }

    public HttpClient Service() => Hub.CreateClient(HubFactory.ServiceKey);

    public HttpClient Admin() => Hub.CreateClient(HubFactory.AdminKey);

    /// <summary>Signs a tenant up (202) without waiting for provisioning.</summary>
    public async Task<string> SignUpAsync(string prefix)
    {
        var tenantId = HubApi.NewTenantId(prefix);
        using var service = Service();
        using var response = await service.PostAsJsonAsync("/api/tenants", new { tenantId, name = "Events Ltd" }, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(Ct));
        return tenantId;
    }

    /// <summary>Signs a tenant up, waits until it is Provisioned and returns (tenantId, Alloy userId).</summary>
    public async Task<(string TenantId, string UserId)> ProvisionedTenantAsync(string prefix)
    {
        var tenantId = await SignUpAsync(prefix);
        var tenant = await WaitForTenantStateAsync(tenantId, "Provisioned");
        return (tenantId, tenant.UserId()!);
    }

    public Task<JsonElement> WaitForTenantStateAsync(string tenantId, string state)
    {
        var service = Service();
        return Poll.UntilAsync(
            ct => service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}", ct), t => t.State() == state, $"tenant {tenantId} to be {state}");
    }

    /// <summary><c>POST /api/tenants/{tenantId}/events</c> as the SaaS backend sends it.</summary>
    public Task<HttpResponseMessage> SendAsync(string tenantId, string eventName, object data, string? idempotencyKey = null) =>
        SendAsync(Service(), tenantId, eventName, data, idempotencyKey);

    public static async Task<HttpResponseMessage> SendAsync(HttpClient service, string tenantId, string eventName, object data, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/tenants/{tenantId}/events")
        {
            Content = JsonContent.Create(new { @event = eventName, data }),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await service.SendAsync(request, Ct);
    }

    /// <summary>Sends an event, expects 202, and returns the answer's body.</summary>
    public async Task<JsonElement> AcceptAsync(string tenantId, string eventName, object data, string? idempotencyKey = null)
    {
        using var response = await SendAsync(tenantId, eventName, data, idempotencyKey);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Task<JsonElement> GetEventAsync(HttpClient client, string tenantId, string eventId) =>
        client.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/events/{eventId}", Ct);

    public Task<JsonElement> GetEventAsync(string tenantId, string eventId) => GetEventAsync(Service(), tenantId, eventId);

    /// <summary>Waits until the event's detail has <paramref name="status"/>, and returns it.</summary>
    public Task<JsonElement> WaitForEventAsync(string tenantId, string eventId, string status, TimeSpan? timeout = null) =>
        WaitForEventAsync(Service(), tenantId, eventId, status, timeout);

    public static Task<JsonElement> WaitForEventAsync(HttpClient client, string tenantId, string eventId, string status, TimeSpan? timeout = null) =>
        Poll.UntilAsync(
            ct => client.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/events/{eventId}", ct),
            e => e.GetProperty("status").GetString() == status,
            $"event {eventId} to be {status}",
            timeout);

    /// <summary>What the sandbox received through E2 for <paramref name="userId"/>, oldest first.</summary>
    public Task<IReadOnlyList<JsonElement>> ReceivedAsync(string userId) => ReceivedAsync(Sandbox, userId);

    public static async Task<IReadOnlyList<JsonElement>> ReceivedAsync(SandboxClient sandbox, string userId) =>
        (await sandbox.ReceivedEventsAsync(userId, cancellationToken: Ct)).Events;

    /// <summary>An event's payload as the tests send it: the sandbox's ticket.created with a marker to find it by.</summary>
    public static object Ticket(string ticketId) => new { ticketId, subject = "Printer on fire", priority = "high" };

    public static string Status(JsonElement e) => e.GetProperty("status").GetString()!;

    public static string EventId(JsonElement e) => e.GetProperty("eventId").GetString()!;

    public static IReadOnlyList<JsonElement> History(JsonElement detail) => [.. detail.GetProperty("history").EnumerateArray()];

    /// <summary>Creates an outbound webhook endpoint for <paramref name="eventTypes"/> at the receiver; returns its signing secret.</summary>
    public async Task<string> SubscribeAsync(string path, params string[] eventTypes)
    {
        using var admin = Admin();
        using var response = await admin.PostAsJsonAsync("/api/admin/webhook-endpoints", new { url = Receiver.Url(path), description = "event tests", eventTypes }, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("secret").GetString()!;
    }
}

/// <summary>The event tests that set no sandbox fault share one <see cref="EventHub"/>.</summary>
[CollectionDefinition(Name)]
public sealed class EventHubCollection : ICollectionFixture<EventHub>
{
    public const string Name = "Event hub";
}
