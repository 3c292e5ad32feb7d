using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.OutboundWebhooks;

/// <summary>
/// An endpoint that hangs must not hold up the others: it gets at most <c>Webhooks:MaxConcurrentPerEndpoint</c> of the
/// process's job workers, the other endpoints' deliveries keep flowing, and its own waiting deliveries go out as soon as
/// it answers again, without spending attempts.
/// </summary>
public sealed class OutboundWebhookFairnessTests
{
    private const int Tenants = 6;
    private const string Slow = "/slow";
    private const string Fast = "/fast";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Delivery_WhenOneEndpointHangs_ShouldKeepDeliveringToTheOthersAndResumeItWithoutSpendingAttempts()
    {
        // Arrange: 4 job workers, at most 2 per endpoint; the slow endpoint holds every request unanswered.
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var hub = new ConfiguredHub(new Dictionary<string, string?>
        {
            ["Alloy:Sandbox"] = "true",
            ["Hangfire:WorkerCount"] = "4",
            ["Webhooks:MaxConcurrentPerEndpoint"] = "2",
            ["Webhooks:Timeout"] = "00:01:00",
            ["Webhooks:AllowPrivateNetworks"] = "true",
        });
        var admin = hub.CreateClient(HubFactory.AdminKey);
        var service = hub.CreateClient(HubFactory.ServiceKey);
        receiver.Hold(Slow);
        var slow = await OutboundWebhookHub.CreateEndpointAsync(admin, receiver.Url(Slow), "tenant.provisioned");
        await OutboundWebhookHub.CreateEndpointAsync(admin, receiver.Url(Fast), "tenant.provisioned");

        // Act: six tenants are provisioned, so six messages go to each endpoint.
        for (var i = 0; i < Tenants; i++)
        {
            (await service.PostAsJsonAsync("/api/tenants", new { tenantId = HubApi.NewTenantId("fair"), name = "Fairness Ltd" }, Ct)).Dispose();
        }

        var fast = await Poll.UntilAsync(
            () => Task.FromResult(receiver.Received(Fast)),
            received => received.Select(r => r.Id).Distinct(StringComparer.Ordinal).Count() == Tenants,
            "every message to the fast endpoint while the slow one hangs",
            TimeSpan.FromSeconds(30));
        var heldWhileFastDone = receiver.Held(Slow);
        receiver.Release(Slow);
        var slowReceived = await Poll.UntilAsync(
            () => Task.FromResult(receiver.Received(Slow)),
            received => received.Select(r => r.Id).Distinct(StringComparer.Ordinal).Count() == Tenants,
            "every message to the slow endpoint once it answers again",
            TimeSpan.FromSeconds(30));

        // Assert: the hanging endpoint held at most its share of the workers; nothing was lost or retried on its account.
        fast.Count.ShouldBeGreaterThanOrEqualTo(Tenants);
        heldWhileFastDone.ShouldBeInRange(1, 2);
        slowReceived.Select(r => r.Id).Distinct(StringComparer.Ordinal).Count().ShouldBe(Tenants);
        var deliveries = await Poll.UntilAsync(
            ct => admin.GetFromJsonAsync<JsonElement>($"/api/admin/webhook-endpoints/{slow.GetProperty("id").GetString()}/deliveries?limit=50", ct),
            page => page.GetProperty("items").EnumerateArray().Count(d => d.GetProperty("status").GetString() == "Delivered") == Tenants,
            "the slow endpoint's deliveries to be recorded as delivered");
        deliveries.GetProperty("items").EnumerateArray().ShouldAllBe(d => d.GetProperty("attempts").GetInt32() == 1);
    }
}
