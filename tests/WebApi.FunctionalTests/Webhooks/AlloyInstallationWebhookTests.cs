using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Installations.ReconcileInstallationWebhooks;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Installations;
using IntegrationHub.Domain.Tenants;
using IntegrationHub.Infrastructure.Webhooks;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.WebApi.FunctionalTests.Webhooks;

/// <summary>
/// Alloy's Integration Installation Webhook end to end: the in-process sandbox completes an installation (H2) and, like
/// Alloy, posts the signed webhook to the hub's <c>POST /api/webhooks/alloy/installations</c>; a job finds the
/// installation in the account listing and records it with history source Webhook. No refresh is ever called here.
/// Hand-built requests cover what Alloy would never send.
/// </summary>
public sealed class AlloyInstallationWebhookTests(AlloyInstallationWebhookTests.InstallationWebhookHub fixture)
    : IClassFixture<AlloyInstallationWebhookTests.InstallationWebhookHub>
{
    private const string WebhookPath = "/api/webhooks/alloy/installations";

    private ConfiguredHub Hub => fixture.Hub;

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=501")]
    [InlineData("limit=abc")]
    [InlineData("cursor=not-a-cursor")]
    [InlineData("unmatched=maybe")]
    public async Task AdminListing_WhenTheQueryIsMalformed_ShouldAnswer400Problem(string query)
    {
        // Arrange
        var admin = Hub.CreateClient(HubFactory.AdminKey);

        // Act
        using var response = await admin.GetAsync($"/api/admin/installation-webhooks?{query}", Ct);

        // Assert
        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("status").GetInt32().ShouldBe(400);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Install_WhenTheSandboxCompletesAnInstallation_ShouldRecordItWithWebhookHistoryWithoutAnyRefresh()
    {
        // Arrange
        var (tenantId, userId) = await fixture.ProvisionAsync("iw-e2e");
        var integrationId = await fixture.FirstIntegrationIdAsync(tenantId);
        var service = Hub.CreateClient(HubFactory.ServiceKey);

        // Act: only the sandbox's headless install; the hub hears of it through the webhook.
        var installationId = await Hub.Sandbox.InstallAsync(userId, integrationId, cancellationToken: Ct);
        var records = await Poll.UntilAsync(
            ct => service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/installations", ct),
            r => r.GetProperty("items").GetArrayLength() > 0,
            "the webhook to record the installation");
        var history = await Hub.CreateClient(HubFactory.AdminKey).GetFromJsonAsync<JsonElement>($"/api/admin/installations/{installationId}/history", Ct);
        var deliveries = await fixture.DeliveriesAsync();

        // Assert
        var record = records.GetProperty("items").EnumerateArray().Single();
        record.GetProperty("installationId").GetString().ShouldBe(installationId);
        record.GetProperty("integrationId").GetString().ShouldBe(integrationId);
        record.GetProperty("enabled").GetBoolean().ShouldBeTrue();
        history.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("change").GetString(), i.GetProperty("source").GetString()))
            .ShouldBe([("Installed", "Webhook")]);
        var delivery = deliveries.Single(d => d.GetProperty("alloyUserId").GetString() == userId);
        delivery.GetProperty("status").GetString().ShouldBe("Resolved");
        delivery.GetProperty("tenantId").GetString().ShouldBe(tenantId);
        delivery.GetProperty("installationId").GetString().ShouldBe(installationId);
        delivery.GetProperty("payload").GetProperty("success").GetBoolean().ShouldBeTrue();
        delivery.GetProperty("payload").GetProperty("workflowIds").GetArrayLength().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Install_OnTheEmbeddedDefaultWithNoWebhookSettings_ShouldStillReachTheHubSigned()
    {
        // Arrange: what `dotnet run --project src/WebApi` gives a newcomer: no webhook key on either side, no URL.
        await using var hub = new ConfiguredHub(new Dictionary<string, string?>
        {
            ["Alloy:Sandbox"] = "true",
            ["AlloySandbox:Webhooks:InstallationUrl"] = null,
        });
        var service = hub.CreateClient(HubFactory.ServiceKey);
        var tenantId = HubApi.NewTenantId("iw-newcomer");
        (await service.PostAsJsonAsync("/api/tenants", new { tenantId, name = "newcomer" }, Ct)).Dispose();
        var tenant = await Poll.UntilAsync(
            ct => service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}", ct), t => t.State() == "Provisioned", "provisioning");
        var integrationId = (await service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/integrations", Ct))
            .GetProperty("items")[0].GetProperty("integrationId").GetString()!;

        // Act
        var installationId = await hub.Sandbox.InstallAsync(tenant.UserId()!, integrationId, cancellationToken: Ct);
        var records = await Poll.UntilAsync(
            ct => service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/installations", ct),
            r => r.GetProperty("items").GetArrayLength() > 0,
            "the embedded sandbox's webhook to record the installation");

        // Assert
        records.GetProperty("items").EnumerateArray().Single().GetProperty("installationId").GetString().ShouldBe(installationId);
        hub.LogSink.Since(0).ShouldNotContain(l => l.Contains("Alloy webhook refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delivery_WhenTheSameDeliveryArrivesTwice_ShouldAddNoSecondHistoryEntry()
    {
        // Arrange: an installation the webhook already recorded.
        var (tenantId, userId) = await fixture.ProvisionAsync("iw-repeat");
        var integrationId = await fixture.FirstIntegrationIdAsync(tenantId);
        var installationId = await Hub.Sandbox.InstallAsync(userId, integrationId, cancellationToken: Ct);
        await fixture.WaitForDeliveriesAsync(userId, 1);
        var body = Body(userId, integrationId);

        // Act: Alloy delivers the same body again, twice.
        for (var i = 0; i < 2; i++)
        {
            using var request = Signed(body);
            using var response = await Hub.CreateClient().SendAsync(request, Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(Ct));
        }

        var deliveries = await fixture.WaitForDeliveriesAsync(userId, 3);
        var history = await Hub.CreateClient(HubFactory.AdminKey).GetFromJsonAsync<JsonElement>($"/api/admin/installations/{installationId}/history", Ct);

        // Assert
        deliveries.ShouldAllBe(d => d.GetProperty("status").GetString() == "Resolved");
        deliveries.ShouldAllBe(d => d.GetProperty("installationId").GetString() == installationId);
        history.GetProperty("items").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Delivery_WhenNoTenantHasTheUser_ShouldBeKeptForAdminsOnly()
    {
        // Arrange
        var (tenantId, _) = await fixture.ProvisionAsync("iw-bystander");
        var stranger = NewId();
        using var request = Signed(Body(stranger, "65f1a0c2e4b0a1b2c3d4e777"));

        // Act
        using var response = await Hub.CreateClient().SendAsync(request, Ct);
        var unmatched = await Hub.CreateClient(HubFactory.AdminKey).GetFromJsonAsync<JsonElement>("/api/admin/installation-webhooks?unmatched=true", Ct);
        var matched = await Hub.CreateClient(HubFactory.AdminKey).GetFromJsonAsync<JsonElement>("/api/admin/installation-webhooks?unmatched=false&limit=500", Ct);
        using var member = await Hub.CreateBearer(TestJwt.ForMember(tenantId)).GetAsync("/api/admin/installation-webhooks", Ct);
        var tenantRecords = await Hub.CreateClient(HubFactory.ServiceKey).GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/installations", Ct);

        // Assert
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        accepted.GetProperty("status").GetString().ShouldBe("Unmatched");
        accepted.GetProperty("tenantId").ValueKind.ShouldBe(JsonValueKind.Null);
        var item = unmatched.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("alloyUserId").GetString() == stranger);
        item.GetProperty("status").GetString().ShouldBe("Unmatched");
        item.GetProperty("integrationId").GetString().ShouldBe("65f1a0c2e4b0a1b2c3d4e777");
        unmatched.GetProperty("items").EnumerateArray().ShouldAllBe(i => i.GetProperty("tenantId").ValueKind == JsonValueKind.Null);
        matched.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("alloyUserId").GetString()).ShouldNotContain(stranger);
        await member.ReadProblemAsync(HttpStatusCode.Forbidden);
        tenantRecords.GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Delivery_WhenAlloyReportsAFailedInstallation_ShouldBeRecordedAndCreateNoInstallation()
    {
        // Arrange
        var (tenantId, userId) = await fixture.ProvisionAsync("iw-failed");
        var integrationId = await fixture.FirstIntegrationIdAsync(tenantId);
        using var request = Signed(Body(userId, integrationId, success: false));

        // Act
        using var response = await Hub.CreateClient().SendAsync(request, Ct);
        var deliveries = await fixture.DeliveriesAsync();
        var records = await Hub.CreateClient(HubFactory.ServiceKey).GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/installations", Ct);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var delivery = deliveries.Single(d => d.GetProperty("alloyUserId").GetString() == userId);
        delivery.GetProperty("status").GetString().ShouldBe("Unsuccessful");
        delivery.GetProperty("success").GetBoolean().ShouldBeFalse();
        delivery.GetProperty("tenantId").GetString().ShouldBe(tenantId);
        records.GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Resolution_WhenTheJobWasLost_ShouldBeRunByTheReconciler()
    {
        // Arrange: an installation the hub heard nothing of, and a stored delivery for it whose job never ran (as
        // after a crash that took the in-memory job store with it).
        var (tenantId, userId) = await fixture.ProvisionAsync("iw-lost");
        var integrationId = await fixture.FirstIntegrationIdAsync(tenantId);
        var installationId = await fixture.InstallQuietlyAsync(userId, integrationId);
        await using (var scope = Hub.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
            db.InstallationWebhooks.Add(InstallationWebhook.Receive(
                AlloyEnvironment.Development, userId, integrationId, success: true, TenantId.From(tenantId), Body(userId, integrationId), DateTimeOffset.UtcNow));
            await db.SaveChangesAsync(Ct);
        }

        // Act
        await using (var scope = Hub.Services.CreateAsyncScope())
        {
            (await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ReconcileInstallationWebhooksCommand(), Ct)).ShouldBeGreaterThanOrEqualTo(1);
        }

        var deliveries = await fixture.WaitForDeliveriesAsync(userId, 1, resolved: true);

        // Assert
        deliveries.Single().GetProperty("installationId").GetString().ShouldBe(installationId);
        var records = await Hub.CreateClient(HubFactory.ServiceKey).GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/installations", Ct);
        records.GetProperty("items").EnumerateArray().Single().GetProperty("installationId").GetString().ShouldBe(installationId);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("other-key")]
    [InlineData("other-body")]
    public async Task Delivery_WhenTheSignatureIsMissingOrWrong_ShouldAnswer401AndStoreNothing(string tampering)
    {
        // Arrange
        var userId = NewId();
        var body = Body(userId, "65f1a0c2e4b0a1b2c3d4e601");
        using var request = tampering switch
        {
            "missing" => Signed(body, signature: null),
            "other-key" => Signed(body, signature: Sign(body, fixture.Stranger)),
            _ => Signed(body, signature: Sign(Body(NewId(), "65f1a0c2e4b0a1b2c3d4e601"))),
        };

        // Act
        using var response = await Hub.CreateClient().SendAsync(request, Ct);

        // Assert
        var problem = await response.ReadProblemAsync(HttpStatusCode.Unauthorized);
        problem.GetProperty("type").GetString().ShouldBe("/problems/invalid-signature");
        (await fixture.DeliveriesAsync()).Select(d => d.GetProperty("alloyUserId").GetString()).ShouldNotContain(userId);
    }

    [Fact]
    public async Task Delivery_WhenTheBodyIsOverTheSizeCap_ShouldAnswer413()
    {
        // Arrange
        var body = JsonSerializer.Serialize(new { userId = NewId(), integrationId = "x", success = true, padding = new string('x', 300 * 1024) });
        using var request = Signed(body);

        // Act
        using var response = await Hub.CreateClient().SendAsync(request, Ct);

        // Assert
        (await response.ReadProblemAsync(HttpStatusCode.RequestEntityTooLarge)).GetProperty("type").GetString().ShouldBe("/problems/payload-too-large");
    }

    [Theory]
    [InlineData("this is not json", "body")]
    [InlineData("[1,2]", "body")]
    [InlineData("{\"integrationId\":\"i1\",\"success\":true}", "userId")]
    [InlineData("{\"userId\":\"u1\",\"success\":true}", "integrationId")]
    [InlineData("{\"userId\":\"u1\",\"integrationId\":\"i1\",\"success\":\"yes\"}", "success")]
    public async Task Delivery_WhenSignedButMalformed_ShouldAnswer400Problem(string body, string field)
    {
        // Arrange
        using var request = Signed(body);

        // Act
        using var response = await Hub.CreateClient().SendAsync(request, Ct);

        // Assert
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(problem.ToString());
    }

    [Fact]
    public async Task Delivery_WhenTheSourceIsNotAllowed_ShouldAnswer403()
    {
        // Arrange: the same keys, but an allow-list that names another address only.
        await using var hub = new ConfiguredHub(InstallationWebhookHub.Settings(fixture.Alloy, new Dictionary<string, string?>
        {
            ["AlloyWebhooks:AllowedIps:0"] = "3.211.13.53",
        }));
        var body = Body(NewId(), "65f1a0c2e4b0a1b2c3d4e601");
        using var client = hub.CreateClient();
        using var request = Signed(body, signature: Sign(body, url: new Uri(client.BaseAddress!, WebhookPath).AbsoluteUri));

        // Act
        using var response = await client.SendAsync(request, Ct);

        // Assert
        (await response.ReadProblemAsync(HttpStatusCode.Forbidden)).GetProperty("type").GetString().ShouldBe("/problems/forbidden");
    }

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    private static string Body(string userId, string integrationId, bool success = true) => JsonSerializer.Serialize(new
    {
        userId,
        workflowIds = new[] { "65f1a0c2e4b0a1b2c3d4e601" },
        integrationId,
        credentials = new Dictionary<string, string> { ["shopify"] = "65f1a0c2e4b0a1b2c3d4e699" },
        success,
    });

    private string Sign(string body, RSA? key = null, string? url = null) =>
        AlloySignature.Sign(key ?? fixture.Alloy, "POST", url ?? fixture.WebhookUrl, Encoding.UTF8.GetBytes(body));

    /// <summary>A delivery as Alloy sends it; the signature defaults to a valid one for the shared hub's URL.</summary>
    private HttpRequestMessage Signed(string body, string? signature = "")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, WebhookPath) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null)
        {
            request.Headers.Add(AlloySignature.HeaderName, signature.Length == 0 ? Sign(body) : signature);
        }

        return request;
    }

    /// <summary>
    /// One hub for the class, receiving Alloy's webhooks: it holds the public half of a key pair made here, and its
    /// mounted sandbox (standing in for Alloy) signs with the private half and announces installations to the hub.
    /// </summary>
    public sealed class InstallationWebhookHub : IAsyncLifetime
    {
        private ConfiguredHub? _hub;

        public RSA Alloy { get; } = RSA.Create(2048);

        public RSA Stranger { get; } = RSA.Create(2048);

        public ConfiguredHub Hub => _hub ?? throw new InvalidOperationException("Not started.");

        public string WebhookUrl
        {
            get
            {
                using var client = Hub.CreateClient();
                return new Uri(client.BaseAddress!, WebhookPath).AbsoluteUri;
            }
        }

        public static Dictionary<string, string?> Settings(RSA alloy, IDictionary<string, string?>? extra = null)
        {
            var settings = new Dictionary<string, string?>
            {
                ["Alloy:Sandbox"] = "true",
                ["AlloyWebhooks:PublicKeyPem"] = alloy.ExportSubjectPublicKeyInfoPem(),
                ["AlloySandbox:Webhooks:PrivateKeyPem"] = alloy.ExportPkcs8PrivateKeyPem(),
                ["AlloySandbox:Webhooks:InstallationUrl"] = WebhookPath,
            };
            foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
            {
                settings[key] = value;
            }

            return settings;
        }

        public ValueTask InitializeAsync()
        {
            _hub = new ConfiguredHub(Settings(Alloy));
            return ValueTask.CompletedTask;
        }

        /// <summary>Signs a tenant up and waits for its Alloy user; returns the tenant id and the Alloy user id.</summary>
        public async Task<(string TenantId, string UserId)> ProvisionAsync(string prefix)
        {
            var tenantId = HubApi.NewTenantId(prefix);
            var service = Hub.CreateClient(HubFactory.ServiceKey);
            using (var response = await service.PostAsJsonAsync("/api/tenants", new { tenantId, name = prefix }, Ct))
            {
                response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
            }

            var tenant = await Poll.UntilAsync(
                ct => service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}", ct),
                t => t.State() == "Provisioned",
                $"{tenantId} to be provisioned");
            return (tenantId, tenant.UserId()!);
        }

        public async Task<string> FirstIntegrationIdAsync(string tenantId)
        {
            var integrations = await Hub.CreateClient(HubFactory.ServiceKey).GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/integrations", Ct);
            return integrations.GetProperty("items")[0].GetProperty("integrationId").GetString()!;
        }

        /// <summary>Installs in the sandbox with its installation webhook switched off for the moment.</summary>
        public async Task<string> InstallQuietlyAsync(string userId, string integrationId)
        {
            Hub.Reconfigure(new Dictionary<string, string?> { ["AlloySandbox:Webhooks:InstallationUrl"] = "" });
            try
            {
                return await Hub.Sandbox.InstallAsync(userId, integrationId, cancellationToken: Ct);
            }
            finally
            {
                Hub.Reconfigure(new Dictionary<string, string?> { ["AlloySandbox:Webhooks:InstallationUrl"] = WebhookPath });
            }
        }

        public async Task<IReadOnlyList<JsonElement>> DeliveriesAsync()
        {
            var page = await Hub.CreateClient(HubFactory.AdminKey).GetFromJsonAsync<JsonElement>("/api/admin/installation-webhooks?limit=500", Ct);
            return [.. page.GetProperty("items").EnumerateArray()];
        }

        /// <summary>Waits until <paramref name="count"/> deliveries for the user are stored and settled.</summary>
        public async Task<IReadOnlyList<JsonElement>> WaitForDeliveriesAsync(string userId, int count, bool resolved = false) =>
            (await Poll.UntilAsync(
                async () => (await DeliveriesAsync()).Where(d => d.GetProperty("alloyUserId").GetString() == userId).ToList(),
                d => d.Count >= count && d.All(x => x.GetProperty("status").GetString() != "Pending")
                     && (!resolved || d.All(x => x.GetProperty("status").GetString() == "Resolved")),
                $"{count} settled installation webhook(s) of {userId}")).ToList();

        public async ValueTask DisposeAsync()
        {
            if (_hub is not null)
            {
                await _hub.DisposeAsync();
            }

            Alloy.Dispose();
            Stranger.Dispose();
        }
    }
}
