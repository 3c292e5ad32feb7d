using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.Events;

/// <summary>
/// <c>POST /api/tenants/{tenantId}/events</c>: stored once per Idempotency-Key, refused with the right problem for a
/// conflicting body, an unknown event name, oversize or non-object data, and an offboarded tenant.
/// </summary>
[Collection(EventHubCollection.Name)]
public sealed class EventIntakeTests(EventHub events)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Accept_When50ConcurrentRequestsShareOneKeyAndBody_ShouldStoreAndDeliverOneEvent()
    {
        // Arrange
        var (tenantId, userId) = await events.ProvisionedTenantAsync("idem");
        var key = "order-" + Guid.NewGuid().ToString("N");
        var ticketId = "TCK-" + Guid.NewGuid().ToString("N")[..8];
        using var service = events.Service();

        // Act
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => EventHub.SendAsync(service, tenantId, "ticket.created", EventHub.Ticket(ticketId), key)));

        // Assert
        var bodies = new List<JsonElement>();
        foreach (var response in responses)
        {
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(Ct);
                response.StatusCode.ShouldBeOneOf([HttpStatusCode.Accepted, HttpStatusCode.OK], text);
                bodies.Add(JsonDocument.Parse(text).RootElement.Clone());
            }
        }

        responses.Count(r => r.StatusCode == HttpStatusCode.Accepted).ShouldBe(1);
        var eventId = EventHub.EventId(bodies[0]);
        bodies.ShouldAllBe(b => b.GetProperty("eventId").GetString() == eventId);
        await events.WaitForEventAsync(tenantId, eventId, "Delivered");
        var listed = await service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/events?limit=100", Ct);
        listed.GetProperty("items").EnumerateArray().Select(EventHub.EventId).ShouldBe([eventId]);
        var received = await events.ReceivedAsync(userId);
        received.Count.ShouldBe(1);
        received[0].GetProperty("data").GetProperty("ticketId").GetString().ShouldBe(ticketId);
    }

    [Fact]
    public async Task Accept_WhenTheKeyIsReusedWithAnotherBody_ShouldAnswer422IdempotencyConflict()
    {
        // Arrange
        var (tenantId, _) = await events.ProvisionedTenantAsync("conflict");
        var key = "k-" + Guid.NewGuid().ToString("N");
        var first = await events.AcceptAsync(tenantId, "ticket.created", EventHub.Ticket("TCK-1"), key);

        // Act
        using var again = await events.SendAsync(tenantId, "ticket.created", EventHub.Ticket("TCK-1"), key);
        using var otherData = await events.SendAsync(tenantId, "ticket.created", EventHub.Ticket("TCK-2"), key);
        using var otherName = await events.SendAsync(tenantId, "invoice.paid", EventHub.Ticket("TCK-1"), key);

        // Assert
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        EventHub.EventId(await again.Content.ReadFromJsonAsync<JsonElement>(Ct)).ShouldBe(EventHub.EventId(first));
        (await otherData.ReadProblemAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("type").GetString().ShouldBe("/problems/idempotency-conflict");
        (await otherName.ReadProblemAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("type").GetString().ShouldBe("/problems/idempotency-conflict");
    }

    [Fact]
    public async Task Accept_WhenTheEventIsNotInTheAlloyCatalog_ShouldAnswer422UnknownEventListingTheKnownOnes()
    {
        // Arrange
        var (tenantId, _) = await events.ProvisionedTenantAsync("unknown");

        // Act
        using var response = await events.SendAsync(tenantId, "ticket.exploded", EventHub.Ticket("TCK-9"));

        // Assert
        var problem = await response.ReadProblemAsync(HttpStatusCode.UnprocessableEntity);
        problem.GetProperty("type").GetString().ShouldBe("/problems/unknown-event");
        var known = problem.GetProperty("knownEvents").EnumerateArray().Select(e => e.GetString()).ToList();
        known.ShouldBe(["customer.signed_up", "invoice.paid", "ticket.created"], ignoreOrder: true);
    }

    [Fact]
    public async Task Accept_WhenDataIsLargerThanMaxDataBytes_ShouldAnswer413Problem()
    {
        // Arrange
        var (tenantId, _) = await events.ProvisionedTenantAsync("large");
        var data = new { ticketId = "TCK-1", subject = new string('x', EventHub.MaxDataBytes), priority = "low" };

        // Act
        using var response = await events.SendAsync(tenantId, "ticket.created", data);

        // Assert
        var problem = await response.ReadProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        problem.GetProperty("type").GetString().ShouldBe("/problems/payload-too-large");
        var listed = await events.Service().GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/events", Ct);
        listed.GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    public static TheoryData<string> NonObjectBodies() => new()
    {
        """{"event":"ticket.created","data":[1,2]}""",
        """{"event":"ticket.created","data":"text"}""",
        """{"event":"ticket.created","data":null}""",
        """{"event":"ticket.created"}""",
        """{"event":"ticket.created","data":42}""",
    };

    [Theory]
    [MemberData(nameof(NonObjectBodies))]
    public async Task Accept_WhenDataIsNotAJsonObject_ShouldAnswer400WithErrorsData(string body)
    {
        // Arrange
        var (tenantId, _) = await events.ProvisionedTenantAsync("shape");
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        // Act
        using var response = await events.Service().PostAsync($"/api/tenants/{tenantId}/events", content, Ct);

        // Assert
        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("type").GetString().ShouldBe("/problems/validation");
        problem.GetProperty("errors").TryGetProperty("data", out var messages).ShouldBeTrue(problem.ToString());
        messages.GetArrayLength().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Accept_WhenTheTenantIsUnknown_ShouldAnswer404TenantNotFound()
    {
        // Act
        using var response = await events.SendAsync(HubApi.NewTenantId("nobody"), "ticket.created", EventHub.Ticket("TCK-1"));

        // Assert
        (await response.ReadProblemAsync(HttpStatusCode.NotFound)).GetProperty("type").GetString().ShouldBe("/problems/tenant-not-found");
    }

    [Fact]
    public async Task Accept_WhenTheTenantWasOffboarded_ShouldAnswer409TenantOffboarded()
    {
        // Arrange
        var (tenantId, _) = await events.ProvisionedTenantAsync("gone");
        (await events.Service().DeleteAsync($"/api/tenants/{tenantId}", Ct)).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        // Act
        using var response = await events.SendAsync(tenantId, "ticket.created", EventHub.Ticket("TCK-1"));

        // Assert
        (await response.ReadProblemAsync(HttpStatusCode.Conflict)).GetProperty("type").GetString().ShouldBe("/problems/tenant-offboarded");
    }
}
