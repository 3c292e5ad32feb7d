using System.Net;
using System.Text.Json;
using IntegrationHub.Client;
using IntegrationHub.Client.Models;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.HubClient;

/// <summary>The client's event calls against the real hub and its sandbox: send, repeat, refuse, batch, read back.</summary>
public sealed class ClientEventTests(HubFactory hub)
{
    private static JsonElement Ticket(string id) => JsonSerializer.SerializeToElement(new { ticketId = id, subject = "Client test", priority = "low" });

    [Fact]
    public async Task SendEvent_ThenTheSameKeyAgain_ShouldCreateOnceAndReadBackDelivered()
    {
        // Arrange
        using var typed = TypedHubClient.For(hub, adminKey: HubFactory.AdminKey);
        var tenantId = HubApi.NewTenantId("client-events");
        await typed.Client.SignUpAsync(tenantId, "Client Events Ltd");
        await typed.Client.WaitUntilProvisionedAsync(tenantId, cancellationToken: TestContext.Current.CancellationToken);

        // Act
        var first = await typed.Client.SendEventAsync(tenantId, "ticket.created", Ticket("T-1"), "client-key-1");
        var again = await typed.Client.SendEventAsync(tenantId, "ticket.created", Ticket("T-1"), "client-key-1");
        var delivered = await Poll.UntilAsync(
            ct => typed.Client.GetEventAsync(tenantId, first.Event.EventId, ct),
            e => e.Status == EventStatus.Delivered,
            "the event delivered to Alloy");

        // Assert
        first.Created.ShouldBeTrue();
        again.Created.ShouldBeFalse();
        again.Event.EventId.ShouldBe(first.Event.EventId);
        delivered.UserId.ShouldNotBeNullOrEmpty();
        delivered.Data.GetProperty("ticketId").GetString().ShouldBe("T-1");
        delivered.History.Count.ShouldBe(1);
        delivered.History[0].Outcome.ShouldBe("delivered");
        var listed = await typed.Client.ListEventsAsync(tenantId);
        listed.Items.Select(e => e.EventId).ShouldBe([first.Event.EventId]);
        var queried = await typed.Client.QueryEventsAsync(new EventQuery(TenantId: tenantId, Status: EventStatus.Delivered));
        queried.Items.Single().EventId.ShouldBe(first.Event.EventId);
    }

    [Fact]
    public async Task SendEvent_WhenRefused_ShouldThrowTheProblemWithItsSlugAndKnownEvents()
    {
        // Arrange
        using var typed = TypedHubClient.For(hub);
        var tenantId = HubApi.NewTenantId("client-refused");
        await typed.Client.SignUpAsync(tenantId, "Client Refused Ltd");
        await typed.Client.SendEventAsync(tenantId, "ticket.created", Ticket("T-1"), "client-key-2");

        // Act
        var conflict = await Should.ThrowAsync<IntegrationHubProblemException>(
            () => typed.Client.SendEventAsync(tenantId, "ticket.created", Ticket("T-2"), "client-key-2"));
        var unknown = await Should.ThrowAsync<IntegrationHubProblemException>(
            () => typed.Client.SendEventAsync(tenantId, "ticket.exploded", Ticket("T-3")));

        // Assert
        conflict.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        conflict.Type.ShouldBe("/problems/idempotency-conflict");
        unknown.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        unknown.Type.ShouldBe("/problems/unknown-event");
        unknown.KnownEvents.ShouldContain("ticket.created");
    }

    [Fact]
    public async Task SendEvents_ShouldAnswerEachItemOnItsOwn()
    {
        // Arrange
        using var typed = TypedHubClient.For(hub);
        var tenantId = HubApi.NewTenantId("client-batch");
        await typed.Client.SignUpAsync(tenantId, "Client Batch Ltd");

        // Act
        var result = await typed.Client.SendEventsAsync(
        [
            new BatchEvent(tenantId, "ticket.created", Ticket("B-1"), "batch-key-1"),
            new BatchEvent(HubApi.NewTenantId("nobody"), "ticket.created", Ticket("B-2")),
            new BatchEvent(tenantId, "ticket.created", Ticket("B-1"), "batch-key-1"),
        ]);

        // Assert
        result.Results.Select(r => r.Status).ShouldBe([202, 404, 200]);
        result.Results[2].EventId.ShouldBe(result.Results[0].EventId);
        result.Results[0].Event!.TenantId.ShouldBe(tenantId);
        result.Results[1].Error!.Type.ShouldBe("/problems/tenant-not-found");
    }
}
