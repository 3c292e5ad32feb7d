using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;
using StandardWebhooks;

namespace IntegrationHub.WebApi.FunctionalTests.Events;

/// <summary>
/// Delivery to Alloy (E2) as the sandbox sees it: held until provisioning then sent in order, retried and dead-lettered
/// with an <c>event.failed</c> webhook and replayed by an admin, refused for good, deferred while Alloy rejects the
/// hub's key, and sent at least once when Alloy's answer is lost. Each test sets sandbox faults, so each has its own hub.
/// </summary>
public sealed class EventDeliveryTests
{
    private const string FailedPath = "/event-failed";
    private const string RunEvent = "/run/event";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Accept_WhenTheTenantIsNotProvisionedYet_ShouldHoldTheEventsThenDeliverThemInAcceptanceOrder()
    {
        // Arrange: one event in flight per tenant, so acceptance order is delivery order; Alloy's POST /users held at the gate.
        await using var events = await EventHub.StartAsync(new Dictionary<string, string?> { ["Events:MaxInFlightPerTenant"] = "1" });
        await events.Sandbox.CloseGateAsync("POST", "/users", cancellationToken: Ct);
        var tenantId = await events.SignUpAsync("held");
        await Poll.UntilAsync(ct => events.Sandbox.HeldAtGateAsync(ct), held => held == 1, "provisioning to wait at the gate");

        // Act
        var accepted = new List<JsonElement>();
        for (var i = 0; i < 5; i++)
        {
            accepted.Add(await events.AcceptAsync(tenantId, "ticket.created", EventHub.Ticket($"TCK-H{i}")));
        }

        var whileHeld = await events.Service().GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/events?status=Held", Ct);
        await events.Sandbox.OpenGateAsync(Ct);
        var userId = (await events.WaitForTenantStateAsync(tenantId, "Provisioned")).UserId()!;
        var delivered = new List<JsonElement>();
        foreach (var e in accepted)
        {
            delivered.Add(await events.WaitForEventAsync(tenantId, EventHub.EventId(e), "Delivered"));
        }

        // Assert
        accepted.ShouldAllBe(e => EventHub.Status(e) == "Held");
        whileHeld.GetProperty("items").GetArrayLength().ShouldBe(5);
        var received = await events.ReceivedAsync(userId);
        received.Select(r => r.GetProperty("data").GetProperty("ticketId").GetString()).ShouldBe(["TCK-H0", "TCK-H1", "TCK-H2", "TCK-H3", "TCK-H4"]);
        received.ShouldAllBe(r => r.GetProperty("event").GetString() == "ticket.created");
        foreach (var detail in delivered)
        {
            detail.GetProperty("userId").GetString().ShouldBe(userId);
            detail.GetProperty("attempts").GetInt32().ShouldBe(1);
            EventHub.History(detail).ShouldHaveSingleItem().GetProperty("outcome").GetString().ShouldBe("delivered");
        }

        delivered.Select(d => d.GetProperty("deliveredAt").GetDateTimeOffset()).ShouldBeInOrder(SortDirection.Ascending);
    }

    [Fact]
    public async Task Offboard_WhenEventsAreHeld_ShouldFailThemAndSendEventFailed()
    {
        // Arrange: Alloy keeps failing POST /users, so the tenant's events stay held.
        await using var events = await EventHub.StartAsync();
        var secret = await events.SubscribeAsync(FailedPath, "event.failed");
        await events.Sandbox.SetFaultsAsync(new { scripted = new[] { new { method = "POST", path = "/users", status = 500, times = 100_000 } } }, Ct);
        var tenantId = await events.SignUpAsync("leaving");
        var held = new[]
        {
            await events.AcceptAsync(tenantId, "ticket.created", EventHub.Ticket("TCK-O1")),
            await events.AcceptAsync(tenantId, "invoice.paid", new { invoiceId = "INV-O2", amount = 3, currency = "EUR" }),
        };

        // Act
        (await events.Service().DeleteAsync($"/api/tenants/{tenantId}", Ct)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var failed = new List<JsonElement>();
        foreach (var e in held)
        {
            failed.Add(await events.WaitForEventAsync(tenantId, EventHub.EventId(e), "Failed"));
        }

        var webhooks = await Poll.UntilAsync(
            _ => Task.FromResult(events.Receiver.Received(FailedPath).Where(r => r.Body.Contains(tenantId, StringComparison.Ordinal)).ToList()),
            r => r.Select(w => w.Json.GetProperty("data").GetProperty("eventId").GetString()).Distinct().Count() == 2,
            "an event.failed webhook for each held event");

        // Assert
        held.ShouldAllBe(e => EventHub.Status(e) == "Held");
        failed.ShouldAllBe(e => e.GetProperty("attempts").GetInt32() == 0 && e.GetProperty("lastError").GetString()!.Contains("offboarded"));
        webhooks.Select(w => w.Json.GetProperty("data").GetProperty("eventId").GetString()).ShouldBe(held.Select(EventHub.EventId), ignoreOrder: true);
        foreach (var webhook in webhooks)
        {
            webhook.Type.ShouldBe("event.failed");
            Should.NotThrow(() => new StandardWebhook(secret).Verify(webhook.Body, webhook.Headers));
        }
    }

    [Fact]
    public async Task Delivery_WhenAlloyKeepsFailing_ShouldDeadLetterSendEventFailedAndDeliverOnReplay()
    {
        // Arrange: two attempts; Alloy answers every POST /run/event with 500.
        await using var events = await EventHub.StartAsync(new Dictionary<string, string?> { ["Events:MaxAttempts"] = "2" });
        var secret = await events.SubscribeAsync(FailedPath, "event.failed");
        var (tenantId, userId) = await events.ProvisionedTenantAsync("dead");
        await events.Sandbox.SetFaultsAsync(new { scripted = new[] { new { method = "POST", path = RunEvent, status = 500, times = 100_000 } } }, Ct);
        var eventId = EventHub.EventId(await events.AcceptAsync(tenantId, "ticket.created", EventHub.Ticket("TCK-D1")));

        // Act 1: the attempts run out.
        var failed = await events.WaitForEventAsync(tenantId, eventId, "Failed");
        var webhook = (await Poll.UntilAsync(
            _ => Task.FromResult(events.Receiver.Received(FailedPath).Where(r => r.Body.Contains(eventId, StringComparison.Ordinal)).ToList()),
            r => r.Count > 0,
            "the event.failed webhook")).First();

        // Assert 1
        failed.GetProperty("attempts").GetInt32().ShouldBe(2);
        failed.GetProperty("lastError").GetString()!.ShouldContain("500");
        EventHub.History(failed).Select(h => h.GetProperty("outcome").GetString()).ShouldBe(["retrying", "failed"]);
        webhook.Type.ShouldBe("event.failed");
        webhook.Signature.Split(' ').ShouldContain(webhook.SignatureWith(secret));
        Should.NotThrow(() => new StandardWebhook(secret).Verify(webhook.Body, webhook.Headers));
        var data = webhook.Json.GetProperty("data");
        data.GetProperty("eventId").GetString().ShouldBe(eventId);
        data.GetProperty("tenantId").GetString().ShouldBe(tenantId);
        data.GetProperty("event").GetString().ShouldBe("ticket.created");
        data.GetProperty("attempts").GetInt32().ShouldBe(2);
        (await events.ReceivedAsync(userId)).ShouldBeEmpty();

        // Act 2: Alloy recovers; an admin replays the event, then tries to replay it again.
        await events.Sandbox.ClearFaultsAsync(Ct);
        using var admin = events.Admin();
        using var replay = await admin.PostAsync($"/api/admin/events/{eventId}/replay", null, Ct);
        var replayText = await replay.Content.ReadAsStringAsync(Ct);
        var delivered = await events.WaitForEventAsync(tenantId, eventId, "Delivered");
        using var again = await admin.PostAsync($"/api/admin/events/{eventId}/replay", null, Ct);

        // Assert 2
        replay.StatusCode.ShouldBe(HttpStatusCode.Accepted, replayText);
        replay.Headers.Location!.ToString().ShouldBe($"/api/tenants/{tenantId}/events/{eventId}");
        JsonDocument.Parse(replayText).RootElement.GetProperty("attempts").GetInt32().ShouldBe(0);
        delivered.GetProperty("attempts").GetInt32().ShouldBe(1);
        EventHub.History(delivered).Select(h => h.GetProperty("outcome").GetString()).ShouldBe(["retrying", "failed", "delivered"]);
        var received = (await events.ReceivedAsync(userId)).ShouldHaveSingleItem();
        received.GetProperty("data").GetProperty("ticketId").GetString().ShouldBe("TCK-D1");
        (await again.ReadProblemAsync(HttpStatusCode.Conflict)).GetProperty("type").GetString().ShouldBe("/problems/event-not-failed");
        var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/audit?tenantId={tenantId}&action=EventReplayed&limit=100", Ct);
        var entry = audit.GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        entry.GetProperty("actorKind").GetString().ShouldBe("Admin");
        entry.GetProperty("detail").GetString()!.ShouldContain(eventId);
    }

    [Fact]
    public async Task Delivery_WhenAlloyRefusesTheEvent_ShouldFailItAfterOneAttempt()
    {
        // Arrange
        await using var events = await EventHub.StartAsync();
        var (tenantId, userId) = await events.ProvisionedTenantAsync("refused");
        await events.Sandbox.SetFaultsAsync(new { scripted = new[] { new { method = "POST", path = RunEvent, status = 400, times = 1 } } }, Ct);

        // Act
        var eventId = EventHub.EventId(await events.AcceptAsync(tenantId, "ticket.created", EventHub.Ticket("TCK-R1")));
        var failed = await events.WaitForEventAsync(tenantId, eventId, "Failed");

        // Assert
        failed.GetProperty("attempts").GetInt32().ShouldBe(1);
        failed.GetProperty("lastError").GetString()!.ShouldContain("400");
        EventHub.History(failed).ShouldHaveSingleItem().GetProperty("outcome").GetString().ShouldBe("failed");
        (await events.ReceivedAsync(userId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Delivery_WhenAlloyRejectsTheHubsKey_ShouldDeferWithoutSpendingAttemptsAndDeliverOnceTheKeyWorks()
    {
        // Arrange: the hub and Alloy share a key; one event goes through (the catalog is read with it).
        const string oldKey = "alloy-events-key-old-0123";
        const string newKey = "alloy-events-key-new-3210";
        await using var events = await EventHub.StartAsync(new Dictionary<string, string?>
        {
            ["Alloy:ApiKey"] = oldKey,
            ["AlloySandbox:Keys:0:Key"] = oldKey,
            ["AlloySandbox:Keys:0:Environment"] = "Development",
        });
        var (tenantId, userId) = await events.ProvisionedTenantAsync("rotated");
        var first = EventHub.EventId(await events.AcceptAsync(tenantId, "ticket.created", EventHub.Ticket("TCK-K0")));
        await events.WaitForEventAsync(tenantId, first, "Delivered");

        // Act 1: Alloy's key is regenerated; the hub still sends the old one.
        events.Hub.Reconfigure(new Dictionary<string, string?> { ["AlloySandbox:Keys:0:Key"] = newKey });
        var eventId = EventHub.EventId(await events.AcceptAsync(tenantId, "ticket.created", EventHub.Ticket("TCK-K1")));
        var deferred = await Poll.UntilAsync(
            () => events.GetEventAsync(tenantId, eventId),
            // Read between two attempts: while one is in flight its lease counts it (attempts 1) until it is deferred.
            e => EventHub.History(e).Count(h => h.GetProperty("outcome").GetString() == "deferred") >= 2 && e.GetProperty("attempts").GetInt32() == 0,
            "two deferred attempts while the key is rejected, read between attempts");

        // Assert 1
        EventHub.Status(deferred).ShouldBe("Pending");
        deferred.GetProperty("attempts").GetInt32().ShouldBe(0);
        deferred.GetProperty("lastError").GetString()!.ShouldContain("key", Case.Insensitive);
        EventHub.History(deferred).ShouldAllBe(h => h.GetProperty("outcome").GetString() == "deferred");

        // Act 2: the operator configures the new key.
        events.Hub.Reconfigure(new Dictionary<string, string?> { ["Alloy:ApiKey"] = newKey });
        var delivered = await events.WaitForEventAsync(tenantId, eventId, "Delivered");

        // Assert 2
        delivered.GetProperty("attempts").GetInt32().ShouldBe(1);
        EventHub.History(delivered)[^1].GetProperty("outcome").GetString().ShouldBe("delivered");
        (await events.ReceivedAsync(userId)).Select(r => r.GetProperty("data").GetProperty("ticketId").GetString()).ShouldBe(["TCK-K0", "TCK-K1"]);
    }

    [Fact]
    public async Task Delivery_WhenAlloysAnswerIsLost_ShouldDeliverAfterwardsAndMayHaveSentItMoreThanOnce()
    {
        // Arrange: Alloy records each POST /run/event and then cuts the connection.
        await using var events = await EventHub.StartAsync(new Dictionary<string, string?> { ["Events:MaxAttempts"] = "50" });
        var (tenantId, userId) = await events.ProvisionedTenantAsync("lost");
        await events.Sandbox.SetFaultsAsync(new { lostAnswerRate = 1.0, lostAnswerMethod = "POST", lostAnswerPath = RunEvent }, Ct);

        // Act
        var eventId = EventHub.EventId(await events.AcceptAsync(tenantId, "ticket.created", EventHub.Ticket("TCK-LOST")));
        await Poll.UntilAsync(() => events.ReceivedAsync(userId), r => r.Count >= 2, "Alloy to receive the event while its answers are lost");
        var whileLost = await events.GetEventAsync(tenantId, eventId);
        await events.Sandbox.ClearFaultsAsync(Ct);
        var delivered = await events.WaitForEventAsync(tenantId, eventId, "Delivered");
        var received = await events.ReceivedAsync(userId);

        // Assert: at least once (documented): every copy is this event.
        EventHub.Status(whileLost).ShouldBeOneOf("Pending", "Delivered");
        received.Count.ShouldBeGreaterThanOrEqualTo(2);
        received.ShouldAllBe(r => r.GetProperty("data").GetProperty("ticketId").GetString() == "TCK-LOST");
        EventHub.History(delivered)[^1].GetProperty("outcome").GetString().ShouldBe("delivered");
        EventHub.History(delivered).SkipLast(1).ShouldAllBe(h => h.GetProperty("outcome").GetString() == "retrying");
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"lost answers: Alloy received the event {received.Count} times; the hub recorded {EventHub.History(delivered).Count} attempt(s)");
    }
}
