using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.Events;

/// <summary>
/// <c>POST /api/events</c> (each item accepted or refused on its own, 207) and the listings: the tenant's, newest first
/// with a status filter and cursor paging, the detail with data and history, the admin's across tenants with filters.
/// </summary>
[Collection(EventHubCollection.Name)]
public sealed class EventBatchAndListingTests(EventHub events)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Batch_WhenItemsMixValidUnknownInvalidAndRepeated_ShouldAnswer207WithEachItemsOwnStatus()
    {
        // Arrange
        var (tenantId, userId) = await events.ProvisionedTenantAsync("batch");
        var key = "batch-" + Guid.NewGuid().ToString("N");
        var body = new
        {
            events = new object[]
            {
                new { tenantId, @event = "ticket.created", data = EventHub.Ticket("TCK-B0"), idempotencyKey = key },
                new { tenantId = HubApi.NewTenantId("nobody"), @event = "ticket.created", data = EventHub.Ticket("TCK-B1") },
                new { tenantId, @event = "", data = new[] { 1 } },
                new { tenantId, @event = "ticket.created", data = EventHub.Ticket("TCK-B0"), idempotencyKey = key },
                new { tenantId, @event = "invoice.paid", data = new { invoiceId = "INV-B4", amount = 12.5, currency = "EUR" } },
            },
        };

        // Act
        using var response = await events.Service().PostAsJsonAsync("/api/events", body, Ct);

        // Assert
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.MultiStatus, text);
        var results = JsonDocument.Parse(text).RootElement.GetProperty("results").EnumerateArray().ToList();
        results.Select(r => r.GetProperty("index").GetInt32()).ShouldBe([0, 1, 2, 3, 4]);
        results.Select(r => r.GetProperty("status").GetInt32()).ShouldBe([202, 404, 400, 200, 202]);
        results[1].GetProperty("error").GetProperty("type").GetString().ShouldBe("/problems/tenant-not-found");
        var invalid = results[2].GetProperty("error");
        invalid.GetProperty("type").GetString().ShouldBe("/problems/validation");
        invalid.GetProperty("errors").TryGetProperty("event", out _).ShouldBeTrue(invalid.ToString());
        invalid.GetProperty("errors").TryGetProperty("data", out _).ShouldBeTrue(invalid.ToString());
        results[3].GetProperty("eventId").GetString().ShouldBe(results[0].GetProperty("eventId").GetString());
        results[4].GetProperty("event").GetProperty("event").GetString().ShouldBe("invoice.paid");
        await events.WaitForEventAsync(tenantId, results[0].GetProperty("eventId").GetString()!, "Delivered");
        await events.WaitForEventAsync(tenantId, results[4].GetProperty("eventId").GetString()!, "Delivered");
        (await events.ReceivedAsync(userId)).Count.ShouldBe(2);
    }

    public static TheoryData<string, string?> BadBatches() => new()
    {
        { "501 items", null },
        { "empty", """{"events":[]}""" },
        { "no events", """{}""" },
        { "missing body", "" },
        { "not json", """{"events":[""" },
        { "events not an array", """{"events":"many"}""" },
    };

    [Theory]
    [MemberData(nameof(BadBatches))]
    public async Task Batch_WhenTheBatchItselfIsInvalid_ShouldAnswer400Problem(string name, string? body)
    {
        // Arrange
        var json = body ?? JsonSerializer.Serialize(new
        {
            events = Enumerable.Range(0, 501).Select(i => new { tenantId = "some-tenant", @event = "ticket.created", data = new { i } }).ToList(),
        });
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        // Act
        using var response = await events.Service().PostAsync("/api/events", content, Ct);

        // Assert
        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("type").GetString().ShouldBe("/problems/validation", name);
    }

    [Fact]
    public async Task TenantListing_WhenFilteredAndPaged_ShouldAnswerNewestFirstEveryEventOnce()
    {
        // Arrange: 5 events, delivered.
        var (tenantId, userId) = await events.ProvisionedTenantAsync("list");
        var sent = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            sent.Add(EventHub.EventId(await events.AcceptAsync(tenantId, "ticket.created", EventHub.Ticket($"TCK-L{i}"))));
        }

        foreach (var eventId in sent)
        {
            await events.WaitForEventAsync(tenantId, eventId, "Delivered");
        }

        using var service = events.Service();

        // Act: pages of 2.
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await service.GetFromJsonAsync<JsonElement>(
                $"/api/tenants/{tenantId}/events?status=Delivered&limit=2{(cursor is null ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor))}", Ct);
            var items = page.GetProperty("items").EnumerateArray().ToList();
            items.Count.ShouldBeLessThanOrEqualTo(2);
            seen.AddRange(items.Select(EventHub.EventId));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 10);
        var pending = await service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/events?status=Pending", Ct);
        var detail = await events.GetEventAsync(tenantId, sent[2]);

        // Assert
        seen.ShouldBe(Enumerable.Reverse(sent).ToList());
        pages.ShouldBe(3);
        pending.GetProperty("items").GetArrayLength().ShouldBe(0);
        detail.GetProperty("tenantId").GetString().ShouldBe(tenantId);
        detail.GetProperty("event").GetString().ShouldBe("ticket.created");
        detail.GetProperty("userId").GetString().ShouldBe(userId);
        detail.GetProperty("data").GetProperty("ticketId").GetString().ShouldBe("TCK-L2");
        detail.GetProperty("attempts").GetInt32().ShouldBe(1);
        detail.GetProperty("deliveredAt").ValueKind.ShouldBe(JsonValueKind.String);
        var attempt = EventHub.History(detail).ShouldHaveSingleItem();
        attempt.GetProperty("outcome").GetString().ShouldBe("delivered");
        attempt.GetProperty("durationMs").GetInt64().ShouldBeGreaterThanOrEqualTo(0);
        attempt.GetProperty("error").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task AdminListing_WhenFilteredByTenantStatusAndEvent_ShouldAnswerOnlyTheMatches()
    {
        // Arrange: two tenants, two event names.
        var (first, _) = await events.ProvisionedTenantAsync("adm-a");
        var (second, _) = await events.ProvisionedTenantAsync("adm-b");
        var ticket = EventHub.EventId(await events.AcceptAsync(first, "ticket.created", EventHub.Ticket("TCK-A")));
        var invoice = EventHub.EventId(await events.AcceptAsync(first, "invoice.paid", new { invoiceId = "INV-A", amount = 1, currency = "EUR" }));
        var other = EventHub.EventId(await events.AcceptAsync(second, "ticket.created", EventHub.Ticket("TCK-B")));
        await events.WaitForEventAsync(first, ticket, "Delivered");
        await events.WaitForEventAsync(first, invoice, "Delivered");
        await events.WaitForEventAsync(second, other, "Delivered");
        using var admin = events.Admin();

        // Act
        var byTenant = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/events?tenantId={first}", Ct);
        var byEvent = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/events?tenantId={first}&event=invoice.paid", Ct);
        var byStatus = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/events?tenantId={second}&status=Delivered", Ct);
        var none = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/events?tenantId={second}&status=Failed", Ct);
        var adminDetail = await EventHub.GetEventAsync(admin, first, invoice);

        // Assert
        Ids(byTenant).ShouldBe([invoice, ticket]);
        Ids(byEvent).ShouldBe([invoice]);
        Ids(byStatus).ShouldBe([other]);
        Ids(none).ShouldBeEmpty();
        adminDetail.GetProperty("data").GetProperty("invoiceId").GetString().ShouldBe("INV-A");
    }

    [Fact]
    public async Task Detail_WhenTheEventIsUnknownOrAnotherTenants_ShouldAnswer404WithoutDisclosingIt()
    {
        // Arrange
        var (owner, _) = await events.ProvisionedTenantAsync("own");
        var (other, _) = await events.ProvisionedTenantAsync("other");
        var eventId = EventHub.EventId(await events.AcceptAsync(owner, "ticket.created", EventHub.Ticket("TCK-SECRET")));
        using var service = events.Service();

        // Act
        using var foreign = await service.GetAsync($"/api/tenants/{other}/events/{eventId}", Ct);
        using var unknown = await service.GetAsync($"/api/tenants/{owner}/events/evt_000000000000000000000000", Ct);
        using var unknownReplay = await events.Admin().PostAsync("/api/admin/events/evt_000000000000000000000000/replay", null, Ct);

        // Assert
        (await foreign.ReadProblemAsync(HttpStatusCode.NotFound)).GetProperty("type").GetString().ShouldBe("/problems/event-not-found");
        (await foreign.Content.ReadAsStringAsync(Ct)).ShouldNotContain("TCK-SECRET");
        (await unknown.ReadProblemAsync(HttpStatusCode.NotFound)).GetProperty("type").GetString().ShouldBe("/problems/event-not-found");
        (await unknownReplay.ReadProblemAsync(HttpStatusCode.NotFound)).GetProperty("type").GetString().ShouldBe("/problems/event-not-found");
    }

    public static TheoryData<string, string, string?> MalformedRequests() => new()
    {
        { "GET", "/api/tenants/{t}/events?status=Bogus", null },
        { "GET", "/api/tenants/{t}/events?limit=0", null },
        { "GET", "/api/tenants/{t}/events?limit=abc", null },
        { "GET", "/api/tenants/{t}/events?limit=100000", null },
        { "GET", "/api/tenants/{t}/events?cursor=garbage!", null },
        { "GET", "/api/tenants/bad.id!/events", null },
        { "GET", "/api/tenants/{t}/events/not-an-event-id", null },
        { "GET", "/api/tenants/{t}/events/evt_has-dash", null },
        { "GET", "/api/admin/events?status=Bogus", null },
        { "GET", "/api/admin/events?limit=0", null },
        { "GET", "/api/admin/events?limit=abc", null },
        { "GET", "/api/admin/events?cursor=garbage!", null },
        { "GET", "/api/admin/events?tenantId=bad.id!", null },
        { "GET", "/api/admin/events?event=" + new string('e', 201), null },
        { "POST", "/api/admin/events/not-an-event-id/replay", null },
        { "POST", "/api/tenants/bad.id!/events", """{"event":"ticket.created","data":{}}""" },
        { "POST", "/api/tenants/{t}/events", """{"event":"ticket.created","data":""" },
        { "POST", "/api/tenants/{t}/events", "" },
        { "POST", "/api/tenants/{t}/events", """{"data":{}}""" },
        { "POST", "/api/tenants/{t}/events", "{\"event\":\"" + new string('e', 201) + "\",\"data\":{}}" },
        { "POST", "/api/tenants/{t}/events", """{"event":5,"data":{}}""" },
    };

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public async Task Route_WhenTheInputIsMalformed_ShouldAnswer400Problem(string method, string path, string? body)
    {
        // Arrange
        var (tenantId, _) = await TenantAsync();
        using var client = path.StartsWith("/api/admin", StringComparison.Ordinal) ? events.Admin() : events.Service();
        using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{t}", tenantId, StringComparison.Ordinal))
        {
            Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"),
        };

        // Act
        using var response = await client.SendAsync(request, Ct);

        // Assert
        await response.ReadProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Accept_WhenTheIdempotencyKeyIsMalformed_ShouldAnswer400Problem()
    {
        // Arrange
        var (tenantId, _) = await TenantAsync();

        // Act
        using var response = await events.SendAsync(tenantId, "ticket.created", EventHub.Ticket("TCK-K"), new string('k', 256));

        // Assert
        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty("idempotencyKey", out _).ShouldBeTrue(problem.ToString());
    }

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static (string TenantId, string UserId)? _tenant;

    /// <summary>One provisioned tenant for the malformed-input cases (none of them stores anything).</summary>
    private async Task<(string TenantId, string UserId)> TenantAsync()
    {
        await Gate.WaitAsync(Ct);
        try
        {
            return _tenant ??= await events.ProvisionedTenantAsync("malformed");
        }
        finally
        {
            Gate.Release();
        }
    }

    private static List<string> Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(EventHub.EventId)];
}
