using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Application.Provisioning.ReconcileProvisioning;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Tenants;
using IntegrationHub.Infrastructure.Persistence;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Scenarios;

/// <summary>
/// The hub's core journeys, written once and run against every storage it supports: a thin test class in
/// <c>WebApi.FunctionalTests</c> runs them on SQLite with in-memory Hangfire, one in <c>SqlServer.IntegrationTests</c>
/// on SQL Server with Hangfire.SqlServer. Each scenario uses fresh tenant ids, so it can share a hub with other tests.
/// </summary>
public static class HubScenarios
{
    private static readonly TimeSpan ProvisioningTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Signup → Provisioned with one Alloy user → modal token → install in Alloy → refresh → installation records and history.</summary>
    public static async Task SignUpProvisionTokenAndInstallationsAsync(IHubUnderTest hub, CancellationToken cancellationToken)
    {
        var tenantId = NewTenantId("journey");
        using var service = hub.CreateServiceClient();

        // Signup: 202, Location, Pending (or already further).
        using (var signup = await SignUpAsync(service, tenantId, "Journey Ltd", cancellationToken))
        {
            signup.StatusCode.ShouldBe(HttpStatusCode.Accepted);
            signup.Headers.Location!.ToString().ShouldBe($"/api/tenants/{tenantId}");
        }

        // Provisioned by the background job, with exactly one Alloy user.
        var tenant = await WaitForStateAsync(service, tenantId, "Provisioned", cancellationToken);
        var userId = UserIdOf(tenant);
        var users = await hub.Sandbox.UsersAsync(tenantId, cancellationToken);
        users.Count.ShouldBe(1);
        users[0].UserId.ShouldBe(userId);
        tenant.GetProperty("alloy").GetProperty("provisionedAt").ValueKind.ShouldBe(JsonValueKind.String);

        // A modal token for the tenant's user, never cached by intermediaries.
        using (var token = await service.PostAsync($"/api/tenants/{tenantId}/alloy-token", null, cancellationToken))
        {
            token.StatusCode.ShouldBe(HttpStatusCode.OK, await token.Content.ReadAsStringAsync(cancellationToken));
            token.Headers.CacheControl!.NoStore.ShouldBeTrue();
            var body = await token.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            body.GetProperty("token").GetString().ShouldNotBeNullOrWhiteSpace();
            body.GetProperty("userId").GetString().ShouldBe(userId);
            body.GetProperty("expiresAt").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow);
        }

        // The user installs Shopify in Alloy's modal; the frontend then asks the hub to refresh.
        var integrations = await service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/integrations", cancellationToken);
        var shopify = integrations.GetProperty("items").EnumerateArray().First(i => i.GetProperty("name").GetString() == "Shopify");
        var integrationId = shopify.GetProperty("integrationId").GetString()!;
        var installationId = await hub.Sandbox.InstallAsync(userId, integrationId, cancellationToken: cancellationToken);
        using (var refresh = await service.PostAsync($"/api/tenants/{tenantId}/installations/refresh", null, cancellationToken))
        {
            refresh.StatusCode.ShouldBe(HttpStatusCode.OK, await refresh.Content.ReadAsStringAsync(cancellationToken));
        }

        var listed = await service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/installations", cancellationToken);
        var installation = listed.GetProperty("items").EnumerateArray().Single();
        installation.GetProperty("installationId").GetString().ShouldBe(installationId);
        installation.GetProperty("integrationId").GetString().ShouldBe(integrationId);
        installation.GetProperty("integrationName").GetString().ShouldBe("Shopify");
        installation.GetProperty("enabled").GetBoolean().ShouldBeTrue();
        installation.GetProperty("removedAt").ValueKind.ShouldBe(JsonValueKind.Null);

        using var admin = hub.CreateAdminClient();
        var history = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/installations/{installationId}/history", cancellationToken);
        history.GetProperty("tenantId").GetString().ShouldBe(tenantId);
        history.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("change").GetString()).ShouldBe(["Installed"]);
    }

    /// <summary>The same signup twice is answered 200 with the same tenant; the same id with another name is 409.</summary>
    public static async Task RepeatedSignupsAsync(IHubUnderTest hub, CancellationToken cancellationToken)
    {
        var tenantId = NewTenantId("again");
        using var service = hub.CreateServiceClient();

        using var first = await SignUpAsync(service, tenantId, "Same Name", cancellationToken);
        using var second = await SignUpAsync(service, tenantId, "Same Name", cancellationToken);
        using var conflicting = await SignUpAsync(service, tenantId, "Other Name", cancellationToken);

        first.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        var firstBody = await first.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var secondBody = await second.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        secondBody.GetProperty("tenantId").GetString().ShouldBe(tenantId);
        secondBody.GetProperty("createdAt").GetDateTimeOffset().ShouldBe(firstBody.GetProperty("createdAt").GetDateTimeOffset());
        conflicting.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var problem = await conflicting.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        problem.GetProperty("type").GetString().ShouldBe("/problems/tenant-conflict");

        await WaitForStateAsync(service, tenantId, "Provisioned", cancellationToken);
        (await hub.Sandbox.UsersAsync(tenantId, cancellationToken)).Count.ShouldBe(1);
    }

    /// <summary>
    /// <paramref name="racers"/> identical signups at once make one tenant (one 202, the rest 200) and one Alloy user;
    /// <paramref name="tenants"/> different tenants at once each get exactly one user.
    /// </summary>
    public static async Task ConcurrentSignupsAsync(IHubUnderTest hub, CancellationToken cancellationToken, int racers = 30, int tenants = 10)
    {
        var racingId = NewTenantId("race");
        var prefix = NewTenantId("batch");
        var batch = Enumerable.Range(0, tenants).Select(i => $"{prefix}-{i:D2}").ToList();
        using var service = hub.CreateServiceClient();

        var racing = Enumerable.Range(0, racers).Select(_ => SignUpAsync(service, racingId, "Racing Ltd", cancellationToken));
        var distinct = batch.Select(id => SignUpAsync(service, id, $"Tenant {id}", cancellationToken));
        var responses = await Task.WhenAll(racing.Concat(distinct));

        try
        {
            var raced = responses.Take(racers).ToList();
            raced.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Accepted || r.StatusCode == HttpStatusCode.OK);
            raced.Count(r => r.StatusCode == HttpStatusCode.Accepted).ShouldBe(1);
            responses.Skip(racers).ShouldAllBe(r => r.StatusCode == HttpStatusCode.Accepted);
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }

        foreach (var id in batch.Append(racingId))
        {
            await WaitForStateAsync(service, id, "Provisioned", cancellationToken);
        }

        (await hub.Sandbox.UsersAsync(racingId, cancellationToken)).Count.ShouldBe(1);
        var users = await hub.Sandbox.UsersAsync(prefix, cancellationToken);
        users.Count.ShouldBe(tenants);
        users.Select(u => u.Username).Distinct().Count().ShouldBe(tenants);
    }

    /// <summary>
    /// A Pending account whose job was lost (written straight to the database, no job) is provisioned by the reconciler:
    /// the database row, not the job, is the record of intent.
    /// </summary>
    public static async Task ReconcilerAfterALostJobAsync(IHubUnderTest hub, CancellationToken cancellationToken)
    {
        var tenantId = NewTenantId("orphan");
        await using (var scope = hub.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            var now = DateTimeOffset.UtcNow;
            db.Tenants.Add(Tenant.Create(TenantId.From(tenantId), "Orphan Ltd", now));
            db.AlloyAccounts.Add(AlloyAccount.Create(TenantId.From(tenantId), AlloyEnvironment.Development, string.Empty, now));
            await db.SaveChangesAsync(cancellationToken);
        }

        using var service = hub.CreateServiceClient();
        StateOf(await GetTenantAsync(service, tenantId, cancellationToken)).ShouldBe("Pending");

        int enqueued;
        await using (var scope = hub.Services.CreateAsyncScope())
        {
            enqueued = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ReconcileProvisioningCommand(), cancellationToken);
        }

        enqueued.ShouldBeGreaterThanOrEqualTo(1);
        var tenant = await WaitForStateAsync(service, tenantId, "Provisioned", cancellationToken);
        (await hub.Sandbox.UsersAsync(tenantId, cancellationToken)).Single().UserId.ShouldBe(UserIdOf(tenant));
    }

    /// <summary>Admin queries: cursor paging visits every tenant once in order, the state filter holds, installations filter and export as CSV.</summary>
    public static async Task AdminQueriesAsync(IHubUnderTest hub, CancellationToken cancellationToken)
    {
        var prefix = NewTenantId("admin");
        var ids = Enumerable.Range(0, 5).Select(i => $"{prefix}-{i}").ToList();
        using var service = hub.CreateServiceClient();
        using var admin = hub.CreateAdminClient();
        foreach (var id in ids)
        {
            using var response = await SignUpAsync(service, id, $"Admin {id}", cancellationToken);
            response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        // Paging: every tenant once, in signup order.
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await admin.GetFromJsonAsync<JsonElement>(
                $"/api/admin/tenants?limit=2{(cursor is null ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor))}", cancellationToken);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("tenantId").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 10_000);

        seen.Distinct().Count().ShouldBe(seen.Count);
        seen.Where(s => s.StartsWith(prefix, StringComparison.Ordinal)).ShouldBe(ids);

        // The state filter.
        foreach (var id in ids)
        {
            await WaitForStateAsync(service, id, "Provisioned", cancellationToken);
        }

        var provisioned = await admin.GetFromJsonAsync<JsonElement>("/api/admin/tenants?state=Provisioned&limit=500", cancellationToken);
        var items = provisioned.GetProperty("items").EnumerateArray().ToList();
        items.ShouldAllBe(t => t.GetProperty("alloy").GetProperty("state").GetString() == "Provisioned");

        // Installations across tenants: filtered JSON and the CSV export.
        var tenantId = ids[0];
        var userId = UserIdOf(await GetTenantAsync(service, tenantId, cancellationToken));
        var integrations = await service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/integrations", cancellationToken);
        var integrationIds = integrations.GetProperty("items").EnumerateArray().Take(2).Select(i => i.GetProperty("integrationId").GetString()!).ToList();
        foreach (var integrationId in integrationIds)
        {
            await hub.Sandbox.InstallAsync(userId, integrationId, cancellationToken: cancellationToken);
        }

        (await service.PostAsync($"/api/tenants/{tenantId}/installations/refresh", null, cancellationToken)).Dispose();
        var filtered = await admin.GetFromJsonAsync<JsonElement>(
            $"/api/admin/installations?tenantId={tenantId}&integrationId={integrationIds[0]}&enabled=true", cancellationToken);
        var rows = filtered.GetProperty("items").EnumerateArray().ToList();
        rows.Count.ShouldBe(1);
        rows[0].GetProperty("tenantId").GetString().ShouldBe(tenantId);
        rows[0].GetProperty("integrationId").GetString().ShouldBe(integrationIds[0]);

        using var csvRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/admin/installations?tenantId={tenantId}");
        csvRequest.Headers.Accept.ParseAdd("text/csv");
        using var csv = await admin.SendAsync(csvRequest, cancellationToken);
        csv.StatusCode.ShouldBe(HttpStatusCode.OK);
        csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var lines = (await csv.Content.ReadAsStringAsync(cancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldStartWith("tenantId,installationId,integrationId");
        lines.Length.ShouldBe(1 + integrationIds.Count);
        lines.Skip(1).ShouldAllBe(l => l.StartsWith(tenantId + ",", StringComparison.Ordinal));
    }

    /// <summary>
    /// Tenant events: sent (one Idempotency-Key repeated answers the same event), delivered to the tenant's Alloy user,
    /// listed newest first; one refused by Alloy fails and is delivered when an admin replays it.
    /// </summary>
    public static async Task TenantEventsAsync(IHubUnderTest hub, CancellationToken cancellationToken)
    {
        var tenantId = NewTenantId("events");
        using var service = hub.CreateServiceClient();
        using var admin = hub.CreateAdminClient();
        using (var signup = await SignUpAsync(service, tenantId, "Events Ltd", cancellationToken))
        {
            signup.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        var userId = UserIdOf(await WaitForStateAsync(service, tenantId, "Provisioned", cancellationToken));

        // Three events; the second is sent twice with one key and answered with the same event.
        var key = "scenario-" + Guid.NewGuid().ToString("N");
        var first = await SendEventAsync(service, tenantId, "ticket.created", new { ticketId = "TCK-S1", subject = "Help", priority = "low" }, null, HttpStatusCode.Accepted, cancellationToken);
        var second = await SendEventAsync(service, tenantId, "invoice.paid", new { invoiceId = "INV-S2", amount = 10, currency = "EUR" }, key, HttpStatusCode.Accepted, cancellationToken);
        var repeated = await SendEventAsync(service, tenantId, "invoice.paid", new { invoiceId = "INV-S2", amount = 10, currency = "EUR" }, key, HttpStatusCode.OK, cancellationToken);
        var third = await SendEventAsync(service, tenantId, "customer.signed_up", new { customerId = "cus_s3" }, null, HttpStatusCode.Accepted, cancellationToken);
        repeated.ShouldBe(second);

        // Delivered to the tenant's Alloy user, once each, and listed newest first.
        var delivered = await Poll.UntilAsync(
            ct => service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/events?status=Delivered", ct),
            page => page.GetProperty("items").GetArrayLength() == 3,
            $"the events of {tenantId} to be delivered",
            ProvisioningTimeout,
            cancellationToken: cancellationToken);
        delivered.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("eventId").GetString()).ShouldBe([third, second, first]);
        var received = await ReceivedEventsAsync(hub, userId, cancellationToken);
        received.Select(e => e.GetProperty("event").GetString()).ShouldBe(["ticket.created", "invoice.paid", "customer.signed_up"], ignoreOrder: true);

        // Alloy refuses the next one: Failed at once; an admin replays it once Alloy takes it again.
        await hub.Sandbox.SetFaultsAsync(new { scripted = new[] { new { method = "POST", path = "/run/event", status = 400, times = 1 } } }, cancellationToken);
        string refused;
        try
        {
            refused = await SendEventAsync(service, tenantId, "ticket.created", new { ticketId = "TCK-S4", subject = "Refused", priority = "high" }, null, HttpStatusCode.Accepted, cancellationToken);
            await WaitForEventAsync(service, tenantId, refused, "Failed", cancellationToken);
        }
        finally
        {
            await hub.Sandbox.ClearFaultsAsync(cancellationToken);
        }

        using (var replay = await admin.PostAsync($"/api/admin/events/{refused}/replay", null, cancellationToken))
        {
            replay.StatusCode.ShouldBe(HttpStatusCode.Accepted, await replay.Content.ReadAsStringAsync(cancellationToken));
        }

        var replayed = await WaitForEventAsync(service, tenantId, refused, "Delivered", cancellationToken);
        replayed.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("outcome").GetString()).ShouldBe(["failed", "delivered"]);
        (await ReceivedEventsAsync(hub, userId, cancellationToken)).Count.ShouldBe(4);
        var failedNow = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/events?tenantId={tenantId}&status=Failed", cancellationToken);
        failedNow.GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    public static string NewTenantId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static Task<HttpResponseMessage> SignUpAsync(HttpClient service, string tenantId, string name, CancellationToken cancellationToken) =>
        service.PostAsJsonAsync("/api/tenants", new { tenantId, name }, cancellationToken);

    public static async Task<JsonElement> GetTenantAsync(HttpClient client, string tenantId, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync($"/api/tenants/{tenantId}", cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Task<JsonElement> WaitForStateAsync(HttpClient client, string tenantId, string state, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        Poll.UntilAsync(
            ct => GetTenantAsync(client, tenantId, ct),
            t => StateOf(t) == state,
            $"tenant {tenantId} to be {state}",
            timeout ?? ProvisioningTimeout,
            cancellationToken: cancellationToken);

    public static string StateOf(JsonElement tenant) => tenant.GetProperty("alloy").GetProperty("state").GetString()!;

    public static string UserIdOf(JsonElement tenant) => tenant.GetProperty("alloy").GetProperty("userId").GetString()!;

    private static async Task<string> SendEventAsync(
        HttpClient service, string tenantId, string eventName, object data, string? idempotencyKey, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/tenants/{tenantId}/events")
        {
            Content = JsonContent.Create(new { @event = eventName, data }),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await service.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        response.StatusCode.ShouldBe(expected, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("eventId").GetString()!;
    }

    private static Task<JsonElement> WaitForEventAsync(HttpClient client, string tenantId, string eventId, string status, CancellationToken cancellationToken) =>
        Poll.UntilAsync(
            ct => client.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/events/{eventId}", ct),
            e => e.GetProperty("status").GetString() == status,
            $"event {eventId} to be {status}",
            ProvisioningTimeout,
            cancellationToken: cancellationToken);

    /// <summary>What the sandbox received through E2 for <paramref name="userId"/> (its <c>/_sandbox/events</c>).</summary>
    private static async Task<IReadOnlyList<JsonElement>> ReceivedEventsAsync(IHubUnderTest hub, string userId, CancellationToken cancellationToken)
    {
        using var sandbox = hub.Sandbox;
        return (await sandbox.ReceivedEventsAsync(userId, cancellationToken: cancellationToken)).Events;
    }
}
