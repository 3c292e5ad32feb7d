using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace IntegrationHub.WebApi.FunctionalTests.OutboundWebhooks;

/// <summary>
/// Webhooks to the SaaS backend over real HTTP: the hub signs, retries, disables and replays; a Kestrel receiver on
/// 127.0.0.1 answers as scripted and verifies with the StandardWebhooks library, as a receiver would.
/// </summary>
public sealed class OutboundWebhookTests(OutboundWebhookHub fixture) : IClassFixture<OutboundWebhookHub>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SignUp_WhenTheTenantIsProvisioned_ShouldDeliverTenantProvisionedSignedWithTheEndpointSecret()
    {
        // Arrange
        using var admin = fixture.Admin();
        var endpoint = await OutboundWebhookHub.CreateEndpointAsync(admin, fixture.Receiver.Url("/e2e"), "tenant.provisioned");
        var secret = endpoint.GetProperty("secret").GetString()!;

        // Act
        var tenantId = await fixture.SignUpAsync("e2e");
        var received = (await fixture.WaitForAsync("/e2e", tenantId)).Single();

        // Assert
        endpoint.GetProperty("id").GetString().ShouldStartWith("ep_");
        secret.ShouldStartWith("whsec_");
        Convert.FromBase64String(secret["whsec_".Length..]).Length.ShouldBeInRange(24, 32);
        received.Method.ShouldBe("POST");
        received.Headers.ContentType.ToString().ShouldStartWith("application/json");
        received.Id.ShouldStartWith("msg_");
        received.Headers["webhook-signature"].ToString().ShouldStartWith("v1,");
        received.Type.ShouldBe("tenant.provisioned");
        var data = received.Json.GetProperty("data");
        data.GetProperty("tenantId").GetString().ShouldBe(tenantId);
        data.GetProperty("alloy").GetProperty("state").GetString().ShouldBe("Provisioned");
        data.GetProperty("version").GetInt64().ShouldBeGreaterThan(0);
        DateTimeOffset.Parse(received.Json.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5));
        Should.NotThrow(() => new StandardWebhook(secret).Verify(received.Body, received.Headers));
        Should.Throw<WebhookVerificationException>(() => new StandardWebhook("whsec_" + Convert.ToBase64String(new byte[32])).Verify(received.Body, received.Headers));
        Should.Throw<WebhookVerificationException>(() => new StandardWebhook(secret).Verify(received.Body.Replace(tenantId, "tampered", StringComparison.Ordinal), received.Headers));

        // The message is stored in the same transaction as the state it reports: once the tenant reads Provisioned, it exists.
        (await fixture.StoredMessagesAsync($"\"tenantId\":\"{tenantId}\"")).ShouldBeGreaterThanOrEqualTo(1);
        var deliveries = await fixture.DeliveriesAsync(endpoint.GetProperty("id").GetString()!);
        var delivery = deliveries.GetProperty("items").EnumerateArray().First(d => d.GetProperty("messageId").GetString() == received.Id);
        await Poll.UntilAsync(
            async _ => (await fixture.DeliveriesAsync(endpoint.GetProperty("id").GetString()!)).GetProperty("items").EnumerateArray()
                .First(d => d.GetProperty("messageId").GetString() == received.Id).GetProperty("status").GetString(),
            s => s == "Delivered",
            "the delivery to be recorded as Delivered");
        delivery.GetProperty("type").GetString().ShouldBe("tenant.provisioned");
        await fixture.DeleteEndpointAsync(endpoint.GetProperty("id").GetString()!);
    }

    [Fact]
    public async Task Delivery_WhenTheReceiverFailsThreeTimes_ShouldDeliverOnTheFourthAttempt()
    {
        // Arrange
        using var admin = fixture.Admin();
        var endpoint = await OutboundWebhookHub.CreateEndpointAsync(admin, fixture.Receiver.Url("/flaky"), "tenant.provisioned");
        var endpointId = endpoint.GetProperty("id").GetString()!;
        fixture.Receiver.Script("/flaky", new ScriptedAnswer(500), new ScriptedAnswer(503, RetryAfter: "0"), new ScriptedAnswer(429));

        // Act
        var tenantId = await fixture.SignUpAsync("flaky");
        var received = await fixture.WaitForAsync("/flaky", tenantId, count: 4);

        // Assert
        received.Select(r => r.AnsweredStatus).ShouldBe([500, 503, 429, 200]);
        received.Select(r => r.Id).Distinct().Count().ShouldBe(1, "every retry carries the same webhook-id");
        var delivery = await Poll.UntilAsync(
            async _ => (await fixture.DeliveriesAsync(endpointId)).GetProperty("items")[0],
            d => d.GetProperty("status").GetString() == "Delivered",
            "the delivery to be Delivered");
        delivery.GetProperty("attempts").GetInt32().ShouldBe(4);
        delivery.GetProperty("statusCode").GetInt32().ShouldBe(200);
        delivery.GetProperty("durationMs").GetInt64().ShouldBeGreaterThanOrEqualTo(0);
        await fixture.DeleteEndpointAsync(endpointId);
    }

    [Fact]
    public async Task Delivery_WhenTheReceiverAnswers410_ShouldDisableTheEndpointWithTheReason()
    {
        // Arrange
        using var admin = fixture.Admin();
        var endpoint = await OutboundWebhookHub.CreateEndpointAsync(admin, fixture.Receiver.Url("/gone"), "tenant.provisioned");
        var endpointId = endpoint.GetProperty("id").GetString()!;
        fixture.Receiver.Script("/gone", new ScriptedAnswer(410));

        // Act
        var tenantId = await fixture.SignUpAsync("gone");
        await fixture.WaitForAsync("/gone", tenantId);
        var disabled = await Poll.UntilAsync(
            ct => admin.GetFromJsonAsync<JsonElement>($"/api/admin/webhook-endpoints/{endpointId}", ct),
            e => !e.GetProperty("enabled").GetBoolean(),
            "the endpoint to be disabled after a 410");
        using var reenabled = await admin.PatchAsJsonAsync($"/api/admin/webhook-endpoints/{endpointId}", new { enabled = true }, Ct);

        // Assert
        disabled.GetProperty("disabledReason").GetString()!.ShouldContain("410");
        var delivery = (await fixture.DeliveriesAsync(endpointId)).GetProperty("items")[0];
        delivery.GetProperty("status").GetString().ShouldBe("Failed");
        delivery.GetProperty("statusCode").GetInt32().ShouldBe(410);
        delivery.GetProperty("attempts").GetInt32().ShouldBe(1);
        reenabled.StatusCode.ShouldBe(HttpStatusCode.OK);
        var after = await reenabled.Content.ReadFromJsonAsync<JsonElement>(Ct);
        after.GetProperty("enabled").GetBoolean().ShouldBeTrue();
        after.GetProperty("disabledReason").ValueKind.ShouldBe(JsonValueKind.Null);
        await fixture.DeleteEndpointAsync(endpointId);
    }

    [Fact]
    public async Task RotateSecret_DuringTheOverlap_ShouldSignWithBothSecretsSoEitherVerifies()
    {
        // Arrange
        using var admin = fixture.Admin();
        var endpoint = await OutboundWebhookHub.CreateEndpointAsync(admin, fixture.Receiver.Url("/rotate"), "tenant.provisioned");
        var endpointId = endpoint.GetProperty("id").GetString()!;
        var oldSecret = endpoint.GetProperty("secret").GetString()!;

        // Act
        using var rotation = await admin.PostAsync($"/api/admin/webhook-endpoints/{endpointId}/rotate-secret", null, Ct);
        var rotated = await rotation.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var newSecret = rotated.GetProperty("secret").GetString()!;
        var tenantId = await fixture.SignUpAsync("rotate");
        var received = (await fixture.WaitForAsync("/rotate", tenantId)).Single();

        // Assert
        rotation.StatusCode.ShouldBe(HttpStatusCode.OK);
        newSecret.ShouldStartWith("whsec_");
        newSecret.ShouldNotBe(oldSecret);
        rotated.GetProperty("previousSecretExpiresAt").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddHours(23));
        // The current secret's signature first, then the previous one's. StandardWebhooks 1.1.2's Verify checks only the
        // first signature of the header, so each one is verified on its own here (README, "Rotating the secret").
        var signatures = received.Headers["webhook-signature"].ToString().Split(' ');
        signatures.Length.ShouldBe(2);
        Should.NotThrow(() => new StandardWebhook(newSecret).Verify(received.Body, received.Headers));
        Should.NotThrow(() => new StandardWebhook(newSecret).Verify(received.Body, WithSignature(received, signatures[0])));
        Should.NotThrow(() => new StandardWebhook(oldSecret).Verify(received.Body, WithSignature(received, signatures[1])));
        Should.Throw<WebhookVerificationException>(() => new StandardWebhook(oldSecret).Verify(received.Body, WithSignature(received, signatures[0])));
        var shown = await admin.GetStringAsync($"/api/admin/webhook-endpoints/{endpointId}", Ct);
        shown.ShouldNotContain(newSecret["whsec_".Length..]);
        shown.ShouldNotContain(oldSecret["whsec_".Length..]);
        await fixture.DeleteEndpointAsync(endpointId);
    }

    [Fact]
    public async Task Replay_OfAMessageAndOfAnEndpointSinceATime_ShouldDeliverTheSameMessageAgain()
    {
        // Arrange
        using var admin = fixture.Admin();
        var endpoint = await OutboundWebhookHub.CreateEndpointAsync(admin, fixture.Receiver.Url("/replay"), "tenant.provisioned");
        var endpointId = endpoint.GetProperty("id").GetString()!;
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var tenantId = await fixture.SignUpAsync("replay");
        var first = (await fixture.WaitForAsync("/replay", tenantId)).Single();

        // Act
        using var byMessage = await admin.PostAsync($"/api/admin/webhook-messages/{first.Id}/replay", null, Ct);
        var second = await fixture.WaitForAsync("/replay", tenantId, count: 2);
        using var byEndpoint = await admin.PostAsync(
            $"/api/admin/webhook-endpoints/{endpointId}/replay?since={Uri.EscapeDataString(since.ToString("O"))}", null, Ct);
        var third = await fixture.WaitForAsync("/replay", tenantId, count: 3);

        // Assert
        byMessage.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await byMessage.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("deliveries").GetInt32().ShouldBe(1);
        byEndpoint.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await byEndpoint.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("deliveries").GetInt32().ShouldBeGreaterThanOrEqualTo(1);
        second.Concat(third).ShouldAllBe(r => r.Id == first.Id && r.Body == first.Body);
        using var audit = await admin.GetAsync("/api/admin/audit?action=WebhookReplayed&limit=10", Ct);
        (await audit.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("items").GetArrayLength().ShouldBeGreaterThanOrEqualTo(2);
        await fixture.DeleteEndpointAsync(endpointId);
    }

    [Fact]
    public async Task Outbox_WhenEndpointsFilterByEventType_ShouldCreateDeliveriesOnlyForSubscribedTypes()
    {
        // Arrange
        using var admin = fixture.Admin();
        var all = await OutboundWebhookHub.CreateEndpointAsync(admin, fixture.Receiver.Url("/all"));
        var installationsOnly = await OutboundWebhookHub.CreateEndpointAsync(admin, fixture.Receiver.Url("/installations-only"), "installation.created", "installation.removed");

        // Act
        var tenantId = await fixture.SignUpAsync("filter");
        var received = await fixture.WaitForAsync("/all", tenantId);

        // Assert: fan-out happens when the message is written, so the filtered endpoint has no delivery at all.
        received.ShouldContain(r => r.Type == "tenant.provisioned");
        all.GetProperty("eventTypes").GetArrayLength().ShouldBe(0);
        var filtered = await fixture.DeliveriesAsync(installationsOnly.GetProperty("id").GetString()!);
        filtered.GetProperty("items").EnumerateArray().ShouldAllBe(d => d.GetProperty("type").GetString()!.StartsWith("installation.", StringComparison.Ordinal));
        fixture.Receiver.Received("/installations-only").ShouldAllBe(r => r.Type.StartsWith("installation.", StringComparison.Ordinal));
        await fixture.DeleteEndpointAsync(all.GetProperty("id").GetString()!);
        await fixture.DeleteEndpointAsync(installationsOnly.GetProperty("id").GetString()!);
    }

    [Fact]
    public async Task Delivery_WhenTheReceiverRedirects_ShouldNotFollowTheRedirect()
    {
        // Arrange
        using var admin = fixture.Admin();
        var endpoint = await OutboundWebhookHub.CreateEndpointAsync(admin, fixture.Receiver.Url("/redirect"), "tenant.provisioned");
        var endpointId = endpoint.GetProperty("id").GetString()!;
        fixture.Receiver.Script("/redirect", Enumerable.Repeat(new ScriptedAnswer(302, Location: fixture.Receiver.Url("/target")), 5).ToArray());

        // Act
        var tenantId = await fixture.SignUpAsync("redirect");
        var delivery = await Poll.UntilAsync(
            async _ => (await fixture.DeliveriesAsync(endpointId)).GetProperty("items").EnumerateArray().FirstOrDefault(),
            d => d.ValueKind == JsonValueKind.Object && d.GetProperty("status").GetString() == "Failed",
            "the redirected delivery to fail after its retries");

        // Assert
        delivery.GetProperty("statusCode").GetInt32().ShouldBe(302);
        delivery.GetProperty("attempts").GetInt32().ShouldBe(5);
        delivery.GetProperty("lastError").GetString()!.ShouldContain("redirect");
        (await fixture.WaitForAsync("/redirect", tenantId, count: 5)).Count.ShouldBe(5);
        fixture.Receiver.Received("/target").ShouldBeEmpty();
        await fixture.DeleteEndpointAsync(endpointId);
    }

    [Fact]
    public async Task Outbox_WhenTheSaveOfTheProvisionedStateFails_ShouldStoreAndSendNoMessage()
    {
        // Arrange
        using var admin = fixture.Admin();
        var endpoint = await OutboundWebhookHub.CreateEndpointAsync(admin, fixture.Receiver.Url("/atomic"));
        var thrownBefore = fixture.Fault.Thrown;

        // Act: the provisioning attempt creates the Alloy user, then its save (state + message) fails.
        var tenantId = await fixture.SignUpAsync(OutboundWebhookHub.FaultTenantPrefix.TrimEnd('-'));
        await Poll.UntilAsync(_ => Task.FromResult(fixture.Fault.Thrown), n => n > thrownBefore, "the injected save failure");

        // Assert: neither the state change nor its message committed.
        using var service = fixture.Service();
        var tenant = await service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}", Ct);
        tenant.GetProperty("alloy").GetProperty("state").GetString().ShouldNotBe("Provisioned");
        (await fixture.StoredMessagesAsync(tenantId)).ShouldBe(0);
        fixture.Receiver.Received("/atomic").ShouldNotContain(r => r.Body.Contains(tenantId, StringComparison.Ordinal));
        await fixture.DeleteEndpointAsync(endpoint.GetProperty("id").GetString()!);
    }

    [Fact]
    public async Task Lifecycle_WhenInstalledErroredAndOffboarded_ShouldDeliverEachEventWithTheResourceAsTheApiReturnsIt()
    {
        // Arrange
        using var admin = fixture.Admin();
        using var service = fixture.Service();
        using var anonymous = fixture.Hub.CreateClient();
        var endpoint = await OutboundWebhookHub.CreateEndpointAsync(
            admin, fixture.Receiver.Url("/lifecycle"), "installation.created", "installation.removed", "integration.error", "tenant.deprovisioned");
        var tenantId = await fixture.SignUpAsync("life");
        var tenant = await Poll.UntilAsync(
            ct => service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}", ct),
            t => t.GetProperty("alloy").GetProperty("state").GetString() == "Provisioned",
            $"{tenantId} to be provisioned");
        var userId = tenant.GetProperty("alloy").GetProperty("userId").GetString()!;
        var integrations = await service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/integrations", Ct);
        using var sandbox = fixture.Hub.Sandbox;

        // Act
        var installationId = await sandbox.InstallAsync(userId, integrations.GetProperty("items")[0].GetProperty("integrationId").GetString()!, cancellationToken: Ct);
        (await service.PostAsync($"/api/tenants/{tenantId}/installations/refresh", null, Ct)).Dispose();
        (await anonymous.PostAsJsonAsync("/sandbox/alloy/_sandbox/webhooks/errors", new { userId, executionId = Guid.NewGuid().ToString("N"), error = "Shopify answered 401" }, Ct)).Dispose();
        (await service.DeleteAsync($"/api/tenants/{tenantId}", Ct)).Dispose();
        var received = await Poll.UntilAsync(
            _ => Task.FromResult(fixture.Receiver.Received("/lifecycle").Where(r => r.Body.Contains(tenantId, StringComparison.Ordinal)).ToList()),
            r => r.Select(w => w.Type).Distinct().Count() == 4,
            "installation.created, integration.error, installation.removed and tenant.deprovisioned");

        // Assert
        var created = received.Single(r => r.Type == "installation.created").Json.GetProperty("data");
        created.GetProperty("tenantId").GetString().ShouldBe(tenantId);
        created.GetProperty("installationId").GetString().ShouldBe(installationId);
        created.GetProperty("enabled").GetBoolean().ShouldBeTrue();
        var error = received.Single(r => r.Type == "integration.error").Json.GetProperty("data");
        error.GetProperty("tenantId").GetString().ShouldBe(tenantId);
        error.GetProperty("id").GetInt64().ShouldBeGreaterThan(0);
        error.GetProperty("errorMessage").GetString()!.ShouldContain("Shopify");
        var removed = received.Single(r => r.Type == "installation.removed").Json.GetProperty("data");
        removed.GetProperty("removedAt").ValueKind.ShouldBe(JsonValueKind.String);
        removed.GetProperty("version").GetInt64().ShouldBeGreaterThan(created.GetProperty("version").GetInt64());
        received.Single(r => r.Type == "tenant.deprovisioned").Json.GetProperty("data").GetProperty("alloy").GetProperty("state").GetString().ShouldBe("Deprovisioned");
        received.ShouldNotContain(r => r.Type == "tenant.provisioned", "the endpoint did not subscribe to it");
        await fixture.DeleteEndpointAsync(endpoint.GetProperty("id").GetString()!);
    }

    [Fact]
    public async Task EndpointCrud_ShouldCreateReadChangeListAndDeleteWithoutShowingTheSecretAgain()
    {
        // Arrange
        using var admin = fixture.Admin();
        var created = await OutboundWebhookHub.CreateEndpointAsync(admin, fixture.Receiver.Url("/crud"), "tenant.provisioned");
        var id = created.GetProperty("id").GetString()!;
        var secret = created.GetProperty("secret").GetString()!;

        // Act
        var read = await admin.GetStringAsync($"/api/admin/webhook-endpoints/{id}", Ct);
        using var patch = await admin.PatchAsJsonAsync($"/api/admin/webhook-endpoints/{id}",
            new { description = "changed", eventTypes = new[] { "installation.created" }, enabled = false }, Ct);
        var changed = await patch.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var list = await admin.GetStringAsync("/api/admin/webhook-endpoints", Ct);
        using var deleted = await admin.DeleteAsync($"/api/admin/webhook-endpoints/{id}", Ct);
        using var gone = await admin.GetAsync($"/api/admin/webhook-endpoints/{id}", Ct);

        // Assert
        created.GetProperty("enabled").GetBoolean().ShouldBeTrue();
        created.GetProperty("description").GetString().ShouldBe("test receiver");
        read.ShouldNotContain(secret["whsec_".Length..]);
        list.ShouldContain(id);
        list.ShouldNotContain(secret["whsec_".Length..]);
        changed.GetProperty("description").GetString().ShouldBe("changed");
        changed.GetProperty("eventTypes")[0].GetString().ShouldBe("installation.created");
        changed.GetProperty("enabled").GetBoolean().ShouldBeFalse();
        changed.GetProperty("disabledReason").GetString().ShouldNotBeNullOrWhiteSpace();
        deleted.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await gone.ReadProblemAsync(HttpStatusCode.NotFound)).GetProperty("type").GetString().ShouldBe("/problems/webhook-endpoint-not-found");
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/admin/audit?limit=50", Ct);
        var actions = audit.GetProperty("items").EnumerateArray()
            .Where(e => e.GetProperty("detail").GetString()?.Contains(id, StringComparison.Ordinal) == true)
            .Select(e => e.GetProperty("action").GetString()).ToList();
        actions.ShouldBe(["WebhookEndpointDeleted", "WebhookEndpointChanged", "WebhookEndpointCreated"], ignoreOrder: true);
        audit.ToString().ShouldNotContain(secret["whsec_".Length..]);
    }

    private static Microsoft.AspNetCore.Http.HeaderDictionary WithSignature(ReceivedWebhook received, string signature)
    {
        var headers = new Microsoft.AspNetCore.Http.HeaderDictionary();
        foreach (var (name, value) in received.Headers)
        {
            headers[name] = value;
        }

        headers["webhook-signature"] = signature;
        return headers;
    }
}
