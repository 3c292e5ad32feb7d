using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Infrastructure.OutboundWebhooks;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.WebApi.FunctionalTests.OutboundWebhooks;

/// <summary>
/// Server-side request forgery: with <c>Webhooks:AllowPrivateNetworks</c> off, the hub refuses internal addresses when an
/// endpoint is registered (IP literals, localhost) and again when it sends (a DNS name that resolves to loopback, or a
/// rule that changed since registration). The only traffic these tests allow is to 127.0.0.1, and they prove it refused.
/// </summary>
public sealed class OutboundWebhookSsrfTests(HubFactory hub)
{
    private const string InternalName = "hooks.internal.test";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> InternalUrls() =>
    [
        "http://127.0.0.1/hook", "http://127.1.2.3:8080/hook", "http://localhost/hook", "http://api.localhost/hook", "http://[::1]/hook",
        "http://10.0.0.1/hook", "http://172.16.0.1/hook", "http://172.31.255.1/hook", "http://192.168.1.1/hook",
        "http://169.254.169.254/latest/meta-data", "http://[fe80::1]/hook", "http://[fc00::1]/hook", "http://[fd00::1]/hook",
        "http://100.64.0.1/hook", "http://0.0.0.0/hook", "http://224.0.0.1/hook", "http://[::ffff:10.0.0.1]/hook",
        "http://[::ffff:127.0.0.1]/hook", "http://[::ffff:169.254.169.254]/hook",
    ];

    [Theory]
    [MemberData(nameof(InternalUrls))]
    public async Task CreateEndpoint_WhenTheUrlIsAnInternalAddress_ShouldAnswer400(string url)
    {
        // Arrange
        using var admin = hub.CreateAdminClient();

        // Act
        using var response = await admin.PostAsJsonAsync("/api/admin/webhook-endpoints", new { url }, Ct);

        // Assert
        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty("url")[0].GetString()!.ShouldContain("AllowPrivateNetworks");
    }

    [Fact]
    public async Task Delivery_WhenANameResolvesToLoopbackOrTheRulesChanged_ShouldRefuseAtSendTimeAndNeverConnect()
    {
        // Arrange
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var guarded = new ConfiguredHub(
            new Dictionary<string, string?>
            {
                ["Alloy:Sandbox"] = "true",
                ["Webhooks:AllowPrivateNetworks"] = "true",
                ["Webhooks:RetrySchedule"] = "00:00:00.050",
                ["Hangfire:SchedulePollingInterval"] = "00:00:00.100",
            },
            services: services => services.AddSingleton<IHostResolver>(new LoopbackResolver(InternalName)));
        using var admin = guarded.CreateClient(HubFactory.AdminKey);
        var byName = await OutboundWebhookHub.CreateEndpointAsync(admin, $"http://{InternalName}:{receiver.Port}/by-name", "tenant.provisioned");
        var byLocalhost = await OutboundWebhookHub.CreateEndpointAsync(admin, $"http://localhost:{receiver.Port}/by-localhost", "tenant.provisioned");
        guarded.Reconfigure(new Dictionary<string, string?> { ["Webhooks:AllowPrivateNetworks"] = "false" });

        // Act
        using var service = guarded.CreateClient(HubFactory.ServiceKey);
        (await service.PostAsJsonAsync("/api/tenants", new { tenantId = HubApi.NewTenantId("ssrf"), name = "SSRF Ltd" }, Ct)).Dispose();
        var refusedByName = await FailedDeliveryAsync(admin, byName.GetProperty("id").GetString()!);
        var refusedLocalhost = await FailedDeliveryAsync(admin, byLocalhost.GetProperty("id").GetString()!);

        // Assert
        refusedByName.GetProperty("lastError").GetString()!.ShouldContain("Refused");
        refusedByName.GetProperty("lastError").GetString()!.ShouldContain("127.0.0.1");
        refusedByName.GetProperty("statusCode").ValueKind.ShouldBe(JsonValueKind.Null);
        refusedLocalhost.GetProperty("lastError").GetString()!.ShouldContain("loopback");
        receiver.Received("/by-name").ShouldBeEmpty();
        receiver.Received("/by-localhost").ShouldBeEmpty();
    }

    private static Task<JsonElement> FailedDeliveryAsync(HttpClient admin, string endpointId) =>
        Poll.UntilAsync(
            async ct => (await admin.GetFromJsonAsync<JsonElement>($"/api/admin/webhook-endpoints/{endpointId}/deliveries", ct)).GetProperty("items")
                .EnumerateArray().FirstOrDefault(),
            d => d.ValueKind == JsonValueKind.Object && d.GetProperty("status").GetString() == "Failed",
            $"the delivery to {endpointId} to fail");

    /// <summary>A DNS answer that points a public-looking name at loopback (DNS rebinding, or a hostile record).</summary>
    private sealed class LoopbackResolver(string name) : IHostResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
            host.Equals(name, StringComparison.OrdinalIgnoreCase)
                ? Task.FromResult(new[] { IPAddress.Loopback })
                : Dns.GetHostAddressesAsync(host, cancellationToken);
    }
}
