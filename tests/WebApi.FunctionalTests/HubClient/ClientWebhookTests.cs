using System.Net;
using IntegrationHub.Client;
using IntegrationHub.Client.Models;
using IntegrationHub.Client.Webhooks;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;
using IntegrationHub.WebApi.FunctionalTests.OutboundWebhooks;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.WebApi.FunctionalTests.HubClient;

/// <summary>
/// Webhook endpoint management through the client, and the client's verifier on real deliveries from the hub to a
/// receiver (a hub whose webhooks may reach 127.0.0.1).
/// </summary>
public sealed class ClientWebhookTests(OutboundWebhookHub fixture) : IClassFixture<OutboundWebhookHub>
{
    [Fact]
    public async Task WebhookEndpoints_WhenManagedThroughTheClient_ShouldCreateListUpdateDeliverReplayRotateAndDelete()
    {
        // Arrange
        using var typed = TypedHubClient.For(fixture.Hub, adminKey: HubFactory.AdminKey);
        var url = fixture.Receiver.Url("/client-lifecycle");

        // Act: create, read back, narrow to one type.
        var created = await typed.Client.CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest(url, "client test", [WebhookEventTypes.InstallationCreated]));
        var listed = await typed.Client.ListWebhookEndpointsAsync();
        var updated = await typed.Client.UpdateWebhookEndpointAsync(
            created.Id, new UpdateWebhookEndpointRequest(Description: "client test (tenants)", EventTypes: [WebhookEventTypes.TenantProvisioned]));
        var fetched = await typed.Client.GetWebhookEndpointAsync(created.Id);

        // Assert
        created.Id.ShouldStartWith("ep_");
        created.Secret.ShouldStartWith("whsec_");
        created.Url.ShouldBe(url);
        created.Enabled.ShouldBeTrue();
        created.EventTypes.ShouldBe([WebhookEventTypes.InstallationCreated]);
        listed.Items.ShouldContain(e => e.Id == created.Id && e.Url == url);
        updated.Description.ShouldBe("client test (tenants)");
        updated.EventTypes.ShouldBe([WebhookEventTypes.TenantProvisioned]);
        fetched.Description.ShouldBe(updated.Description);
        fetched.EventTypes.ShouldBe(updated.EventTypes);
        fetched.UpdatedAt.ShouldBe(updated.UpdatedAt);
        fetched.CreatedAt.ShouldBe(created.CreatedAt);

        // Act: a delivery, then both kinds of replay.
        var tenantId = await fixture.SignUpAsync("client-life");
        var first = (await fixture.WaitForAsync("/client-lifecycle", tenantId)).Single();
        var deliveries = await Poll.UntilAsync(
            ct => typed.Client.ListWebhookDeliveriesAsync(created.Id, WebhookDeliveryState.Delivered, cancellationToken: ct),
            page => page.Items.Any(d => d.MessageId == first.Id),
            "the delivery recorded as Delivered");
        var replayedMessage = await typed.Client.ReplayWebhookMessageAsync(first.Id);
        var again = await fixture.WaitForAsync("/client-lifecycle", tenantId, count: 2);
        var replayedSince = await typed.Client.ReplayWebhookEndpointAsync(created.Id, DateTimeOffset.UtcNow.AddHours(-1));

        // Assert
        var delivery = deliveries.Items.First(d => d.MessageId == first.Id);
        delivery.Type.ShouldBe(WebhookEventTypes.TenantProvisioned);
        delivery.StatusCode.ShouldBe(200);
        delivery.Attempts.ShouldBeGreaterThanOrEqualTo(1);
        replayedMessage.Deliveries.ShouldBe(1);
        again.Select(r => r.Id).Distinct().ShouldBe([first.Id]);
        replayedSince.Deliveries.ShouldBeGreaterThanOrEqualTo(1);

        // Act: rotate, disable, and delete.
        var rotated = await typed.Client.RotateWebhookEndpointSecretAsync(created.Id);
        var disabled = await typed.Client.UpdateWebhookEndpointAsync(created.Id, new UpdateWebhookEndpointRequest(Enabled: false));
        var replayDisabled = await Should.ThrowAsync<IntegrationHubProblemException>(() => typed.Client.ReplayWebhookEndpointAsync(created.Id, DateTimeOffset.UtcNow.AddHours(-1)));
        await typed.Client.DeleteWebhookEndpointAsync(created.Id);
        var gone = await Should.ThrowAsync<IntegrationHubProblemException>(() => typed.Client.GetWebhookEndpointAsync(created.Id));

        // Assert
        rotated.Id.ShouldBe(created.Id);
        rotated.Secret.ShouldStartWith("whsec_");
        rotated.Secret.ShouldNotBe(created.Secret);
        rotated.PreviousSecretExpiresAt.ShouldBeGreaterThan(DateTimeOffset.UtcNow);
        disabled.Enabled.ShouldBeFalse();
        replayDisabled.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        replayDisabled.Slug.ShouldBe(ProblemTypes.WebhookEndpointDisabled);
        gone.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        gone.Slug.ShouldBe(ProblemTypes.WebhookEndpointNotFound);
    }

    [Fact]
    public async Task Verifier_WhenTheHubDelivers_ShouldVerifyAndParseTenantAndInstallationEvents()
    {
        // Arrange
        using var typed = TypedHubClient.For(fixture.Hub, adminKey: HubFactory.AdminKey);
        var endpoint = await typed.Client.CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest(
            fixture.Receiver.Url("/client-verify"), EventTypes: [WebhookEventTypes.TenantProvisioned, WebhookEventTypes.InstallationCreated]));
        var verifier = new IntegrationHubWebhookVerifier(endpoint.Secret);
        var tenantId = await fixture.SignUpAsync("client-ver");
        var tenant = await typed.Client.WaitUntilProvisionedAsync(tenantId, TimeSpan.FromMilliseconds(100));
        var integrationId = (await typed.Client.ListIntegrationsAsync(tenantId)).Items[0].IntegrationId;
        var installationId = await fixture.Hub.Sandbox.InstallAsync(tenant.Alloy!.UserId!, integrationId);
        await typed.Client.RefreshInstallationsAsync(tenantId);
        var received = await fixture.WaitForAsync("/client-verify", tenantId, count: 2);
        var provisionedDelivery = received.Single(r => r.Type == WebhookEventTypes.TenantProvisioned);
        var installationDelivery = received.Single(r => r.Type == WebhookEventTypes.InstallationCreated);

        // Act
        var provisioned = verifier.Verify(name => provisionedDelivery.Headers[name].ToString(), provisionedDelivery.Body);
        var installed = verifier.Verify(installationDelivery.Id, installationDelivery.Timestamp, installationDelivery.Signature, installationDelivery.Body);

        // Assert
        provisioned.Id.ShouldBe(provisionedDelivery.Id);
        provisioned.Type.ShouldBe(WebhookEventTypes.TenantProvisioned);
        provisioned.SentAt.ShouldBe(DateTimeOffset.FromUnixTimeSeconds(long.Parse(provisionedDelivery.Timestamp, System.Globalization.CultureInfo.InvariantCulture)));
        var tenantData = provisioned.AsTenant().ShouldNotBeNull();
        tenantData.TenantId.ShouldBe(tenantId);
        tenantData.Alloy!.State.ShouldBe(ProvisioningState.Provisioned);
        tenantData.Alloy.UserId.ShouldBe(tenant.Alloy.UserId);
        tenantData.Version.ShouldBeGreaterThan(0);
        tenantData.ToTenant().TenantId.ShouldBe(tenantId);
        provisioned.AsInstallation().ShouldBeNull();
        provisioned.AsEventFailed().ShouldBeNull();
        var installationData = installed.AsInstallation().ShouldNotBeNull();
        installationData.TenantId.ShouldBe(tenantId);
        installationData.InstallationId.ShouldBe(installationId);
        installationData.IntegrationId.ShouldBe(integrationId);
        installationData.Enabled.ShouldBeTrue();
        installationData.Version.ShouldBeGreaterThan(0);
        installed.AsTenant().ShouldBeNull();
        await typed.Client.DeleteWebhookEndpointAsync(endpoint.Id);
    }

    [Fact]
    public async Task Verifier_WhenADeliveryIsTamperedWrongKeyedOrOld_ShouldRefuseIt()
    {
        // Arrange
        using var typed = TypedHubClient.For(fixture.Hub, adminKey: HubFactory.AdminKey);
        var endpoint = await typed.Client.CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest(
            fixture.Receiver.Url("/client-refuse"), EventTypes: [WebhookEventTypes.TenantProvisioned]));
        var tenantId = await fixture.SignUpAsync("client-ref");
        var delivery = (await fixture.WaitForAsync("/client-refuse", tenantId)).Single();
        var sentAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(delivery.Timestamp, System.Globalization.CultureInfo.InvariantCulture));
        var sixMinutesLater = new FakeTimeProvider(sentAt.AddMinutes(6));
        var fourMinutesLater = new FakeTimeProvider(sentAt.AddMinutes(4));
        var sixMinutesEarlier = new FakeTimeProvider(sentAt.AddMinutes(-6));
        var otherSecret = "whsec_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

        // Act
        var tampered = Should.Throw<WebhookVerificationException>(() => new IntegrationHubWebhookVerifier(endpoint.Secret)
            .Verify(delivery.Id, delivery.Timestamp, delivery.Signature, delivery.Body.Replace(tenantId, "someone-else", StringComparison.Ordinal)));
        var wrongKey = Should.Throw<WebhookVerificationException>(() => new IntegrationHubWebhookVerifier(otherSecret)
            .Verify(delivery.Id, delivery.Timestamp, delivery.Signature, delivery.Body));
        var otherId = Should.Throw<WebhookVerificationException>(() => new IntegrationHubWebhookVerifier(endpoint.Secret)
            .Verify("msg_other", delivery.Timestamp, delivery.Signature, delivery.Body));
        var old = Should.Throw<WebhookVerificationException>(() => new IntegrationHubWebhookVerifier(endpoint.Secret, sixMinutesLater)
            .Verify(delivery.Id, delivery.Timestamp, delivery.Signature, delivery.Body));
        var future = Should.Throw<WebhookVerificationException>(() => new IntegrationHubWebhookVerifier(endpoint.Secret, sixMinutesEarlier)
            .Verify(delivery.Id, delivery.Timestamp, delivery.Signature, delivery.Body));
        var missing = Should.Throw<WebhookVerificationException>(() => new IntegrationHubWebhookVerifier(endpoint.Secret)
            .Verify(delivery.Id, delivery.Timestamp, string.Empty, delivery.Body));
        var withinTolerance = new IntegrationHubWebhookVerifier(endpoint.Secret, fourMinutesLater)
            .TryVerify(delivery.Id, delivery.Timestamp, delivery.Signature, delivery.Body, out var accepted);

        // Assert
        tampered.Message.ShouldContain("signature");
        wrongKey.Message.ShouldContain("signature");
        otherId.Message.ShouldContain("signature");
        old.Message.ShouldContain("tolerance");
        future.Message.ShouldContain("tolerance");
        missing.Message.ShouldContain("missing");
        withinTolerance.ShouldBeTrue();
        accepted!.AsTenant()!.TenantId.ShouldBe(tenantId);
        await typed.Client.DeleteWebhookEndpointAsync(endpoint.Id);
    }

    [Fact]
    public async Task Verifier_AfterARotation_ShouldAcceptTheDeliveryWithEitherSecretOfItsSignatures()
    {
        // Arrange: after a rotation the hub signs with the new and the previous secret.
        using var typed = TypedHubClient.For(fixture.Hub, adminKey: HubFactory.AdminKey);
        var endpoint = await typed.Client.CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest(
            fixture.Receiver.Url("/client-rotate"), EventTypes: [WebhookEventTypes.TenantProvisioned]));
        var rotated = await typed.Client.RotateWebhookEndpointSecretAsync(endpoint.Id);
        var tenantId = await fixture.SignUpAsync("client-rot");
        var delivery = (await fixture.WaitForAsync("/client-rotate", tenantId)).Single();
        var unknownFirst = "v2,abc v1,not-base64!! v1," + Convert.ToBase64String(new byte[32]) + " " + delivery.Signature;

        // Act
        var withOld = new IntegrationHubWebhookVerifier(endpoint.Secret).TryVerify(delivery.Id, delivery.Timestamp, delivery.Signature, delivery.Body, out _);
        var withNew = new IntegrationHubWebhookVerifier(rotated.Secret).TryVerify(delivery.Id, delivery.Timestamp, delivery.Signature, delivery.Body, out _);
        var withBoth = new IntegrationHubWebhookVerifier([rotated.Secret, endpoint.Secret]).TryVerify(delivery.Id, delivery.Timestamp, delivery.Signature, delivery.Body, out _);
        var amongOthers = new IntegrationHubWebhookVerifier(rotated.Secret).TryVerify(delivery.Id, delivery.Timestamp, unknownFirst, delivery.Body, out _);
        var onlyNewSignature = delivery.Signature.Split(' ').Single(s => s == delivery.SignatureWith(rotated.Secret));
        var oldSecretOnNewSignature = new IntegrationHubWebhookVerifier(endpoint.Secret).TryVerify(delivery.Id, delivery.Timestamp, onlyNewSignature, delivery.Body, out _);

        // Assert
        delivery.Signature.Split(' ').Length.ShouldBe(2);
        withOld.ShouldBeTrue();
        withNew.ShouldBeTrue();
        withBoth.ShouldBeTrue();
        amongOthers.ShouldBeTrue();
        oldSecretOnNewSignature.ShouldBeFalse();
        await typed.Client.DeleteWebhookEndpointAsync(endpoint.Id);
    }
}
