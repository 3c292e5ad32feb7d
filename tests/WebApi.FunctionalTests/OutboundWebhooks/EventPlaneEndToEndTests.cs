using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;
using StandardWebhooks;

namespace IntegrationHub.WebApi.FunctionalTests.OutboundWebhooks;

/// <summary>
/// Both directions of the event plane in one journey, on the embedded default (the in-process sandbox announces each
/// completed installation to the hub, signed): an installation completes at Alloy, Alloy's installation webhook reaches
/// the hub, the hub records it with history source <c>Webhook</c>, and the SaaS backend's endpoint receives a signed
/// <c>installation.created</c>, with nobody calling refresh.
/// </summary>
public sealed class EventPlaneEndToEndTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Install_WhenAlloyAnnouncesIt_ShouldRecordItFromTheWebhookAndDeliverInstallationCreatedToTheBackend()
    {
        // Arrange: the dotnet-run wiring (no webhook keys or URL configured) plus a receiver the hub may reach.
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var hub = new ConfiguredHub(new Dictionary<string, string?>
        {
            ["Alloy:Sandbox"] = "true",
            ["AlloySandbox:Webhooks:InstallationUrl"] = null,
            ["Webhooks:AllowPrivateNetworks"] = "true",
            ["Webhooks:RetrySchedule"] = "00:00:00.100,00:00:00.100",
        });
        var admin = hub.CreateClient(HubFactory.AdminKey);
        var service = hub.CreateClient(HubFactory.ServiceKey);
        using var created = await admin.PostAsJsonAsync(
            "/api/admin/webhook-endpoints", new { url = receiver.Url("/hub-events"), eventTypes = new[] { "installation.created" } }, Ct);
        var secret = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("secret").GetString()!;
        var tenantId = HubApi.NewTenantId("plane");
        (await service.PostAsJsonAsync("/api/tenants", new { tenantId, name = "Event Plane Ltd" }, Ct)).Dispose();
        var tenant = await Poll.UntilAsync(
            ct => service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}", ct), t => t.State() == "Provisioned", "provisioning");
        var integrationId = (await service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/integrations", Ct))
            .GetProperty("items")[0].GetProperty("integrationId").GetString()!;

        // Act: the user completes the installation at Alloy (headless H1 + H2, as the modal's Connect does).
        var installationId = await hub.Sandbox.InstallAsync(tenant.UserId()!, integrationId, cancellationToken: Ct);
        var delivered = await Poll.UntilAsync(
            () => Task.FromResult(receiver.Received("/hub-events")),
            received => received.Count > 0,
            "installation.created to reach the backend",
            TimeSpan.FromSeconds(30));

        // Assert: the backend got it, signed with the endpoint's secret, carrying the installation the API returns.
        var message = delivered.ShouldHaveSingleItem();
        message.Type.ShouldBe("installation.created");
        Should.NotThrow(() => new StandardWebhook(secret).Verify(message.Body, message.Headers));
        var data = message.Json.GetProperty("data");
        data.GetProperty("tenantId").GetString().ShouldBe(tenantId);
        data.GetProperty("installationId").GetString().ShouldBe(installationId);
        var history = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/installations/{installationId}/history", Ct);
        var entry = history.GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        entry.GetProperty("change").GetString().ShouldBe("Installed");
        entry.GetProperty("source").GetString().ShouldBe("Webhook");
    }
}
