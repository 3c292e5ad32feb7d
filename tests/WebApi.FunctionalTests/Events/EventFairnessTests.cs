using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.Events;

/// <summary>
/// A tenant with a backlog of 10,000 events occupies one delivery job, not the queue: another tenant's 10 events are
/// delivered within seconds while the backlog is still draining. A functional assertion with a generous deadline,
/// not a benchmark; the measured numbers go to the test output.
/// </summary>
public sealed class EventFairnessTests
{
    private const int Backlog = 10_000;
    private const int BatchSize = 500;
    private const int Small = 10;
    private static readonly TimeSpan SmallTenantDeadline = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Delivery_WhenOneTenantHasABacklogOf10000_ShouldStillDeliverAnotherTenantsEventsWithinSeconds()
    {
        // Arrange: the small tenant is provisioned; the big one's backlog is accepted while Alloy fails its POST /users
        // (held events, so the intake does not compete with delivery), then Alloy recovers and answers every call after
        // 10 ms, so the backlog drains for a while.
        await using var events = await EventHub.StartAsync(new Dictionary<string, string?> { ["Provisioning:MaxAttempts"] = "100", ["Provisioning:MaxDelay"] = "00:00:01" });
        var output = TestContext.Current.TestOutputHelper;
        var (small, smallUser) = await events.ProvisionedTenantAsync("small");
        await events.Sandbox.SetFaultsAsync(new { scripted = new[] { new { method = "POST", path = "/users", status = 500, times = 1_000_000 } } }, Ct);
        var big = await events.SignUpAsync("big");
        using var service = events.Service();
        var filling = Stopwatch.StartNew();
        for (var batch = 0; batch < Backlog / BatchSize; batch++)
        {
            // One batch at a time: on SQLite, concurrent batches only contend for the writer (measured slower).
            await SendBatchAsync(service, big, batch);
        }

        filling.Stop();
        await events.Sandbox.SetFaultsAsync(new { latencyMs = 10 }, Ct);
        var bigUser = (await events.WaitForTenantStateAsync(big, "Provisioned")).UserId()!;
        await Poll.UntilAsync(() => DeliveredToAsync(events, bigUser), n => n >= 100, "the big tenant's backlog to start draining");
        var drainedBefore = await DeliveredToAsync(events, bigUser);
        var clock = Stopwatch.StartNew();

        // Act: the small tenant sends 10 events.
        var smallEvents = new List<string>();
        for (var i = 0; i < Small; i++)
        {
            smallEvents.Add(EventHub.EventId(await events.AcceptAsync(small, "invoice.paid", new { invoiceId = $"INV-{i}", amount = i, currency = "EUR" })));
        }

        await Poll.UntilAsync(
            ct => service.GetFromJsonAsync<JsonElement>($"/api/tenants/{small}/events?status=Delivered&limit={Small}", ct),
            page => page.GetProperty("items").GetArrayLength() == Small,
            "the small tenant's 10 events to be delivered",
            SmallTenantDeadline,
            TimeSpan.FromMilliseconds(100));
        var smallDoneAfter = clock.Elapsed;
        var bigPending = await service.GetFromJsonAsync<JsonElement>($"/api/tenants/{big}/events?status=Pending&limit=1", Ct);
        var drainedAfter = await DeliveredToAsync(events, bigUser);
        var drainSeconds = clock.Elapsed.TotalSeconds;

        // Assert
        var rate = (drainedAfter - drainedBefore) / drainSeconds;
        output?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"backlog of {Backlog} accepted (held) in {filling.Elapsed.TotalSeconds:0.0} s ({Backlog / filling.Elapsed.TotalSeconds:0} events/s through POST /api/events, {Backlog / BatchSize} batches of {BatchSize} one after another)"));
        output?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"small tenant: {Small} events delivered {smallDoneAfter.TotalSeconds:0.00} s after the first was sent"));
        output?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"big tenant: {drainedBefore} delivered when the small one started, {drainedAfter} when it was done ({rate:0} events/s)"));
        smallDoneAfter.ShouldBeLessThan(SmallTenantDeadline);
        bigPending.GetProperty("items").GetArrayLength().ShouldBe(1, "the big tenant's backlog was still draining when the small one's events were delivered");
        drainedAfter.ShouldBeLessThan(Backlog);
        (await events.ReceivedAsync(smallUser)).Count.ShouldBe(Small);
    }

    /// <summary>Sends the <paramref name="batch"/>th batch of the big tenant's backlog; every item must be accepted.</summary>
    private static async Task SendBatchAsync(HttpClient service, string tenantId, int batch)
    {
        var items = Enumerable.Range(batch * BatchSize, BatchSize)
            .Select(i => new { tenantId, @event = "ticket.created", data = EventHub.Ticket($"TCK-{i:D5}") })
            .ToList();
        using var response = await service.PostAsJsonAsync("/api/events", new { events = items }, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.MultiStatus, text);
        JsonDocument.Parse(text).RootElement.GetProperty("results").EnumerateArray().ShouldAllBe(r => r.GetProperty("status").GetInt32() == 202);
    }

    /// <summary>How many events the sandbox has received for <paramref name="userId"/> (its <c>matched</c> count).</summary>
    private static async Task<long> DeliveredToAsync(EventHub events, string userId) =>
        (await events.Sandbox.ReceivedEventsAsync(userId, limit: 1, cancellationToken: Ct)).Matched;
}
