using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using IntegrationHub.Application.Common.Telemetry;
using IntegrationHub.Application.Provisioning.ReconcileProvisioning;
using IntegrationHub.Scenarios;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.WebApi.FunctionalTests.Platform;

/// <summary>The hub's own meter ("IntegrationHub") records what operators watch, and OTLP export works when configured.</summary>
public sealed class ObservabilityTests(HubFactory hub)
{
    [Fact]
    public async Task Metrics_WhenATenantIsProvisionedGetsATokenAndTheReconcilerRuns_ShouldRecordEveryHubInstrument()
    {
        // Arrange: collectors scoped to this hub's meter factory (other hubs in the process are not counted).
        var scope = hub.Services.GetRequiredService<IMeterFactory>();
        using var attempts = new MetricCollector<long>(scope, HubMetrics.MeterName, HubMetrics.ProvisioningAttemptsName);
        using var durations = new MetricCollector<double>(scope, HubMetrics.MeterName, HubMetrics.ProvisioningDurationName);
        using var tokens = new MetricCollector<long>(scope, HubMetrics.MeterName, HubMetrics.TokensIssuedName);
        using var alloy = new MetricCollector<long>(scope, HubMetrics.MeterName, HubMetrics.AlloyRequestsName);
        using var alloyDurations = new MetricCollector<double>(scope, HubMetrics.MeterName, HubMetrics.AlloyRequestDurationName);
        using var backlog = new MetricCollector<long>(scope, HubMetrics.MeterName, HubMetrics.ReconcilerBacklogName);
        var tenantId = HubApi.NewTenantId("metrics");

        // Act
        await hub.SignUpProvisionedAsync(tenantId);
        using var token = await hub.CreateMemberClient(tenantId).PostAsync($"/api/tenants/{tenantId}/alloy-token", null);
        await using (var services = hub.Services.CreateAsyncScope())
        {
            await services.ServiceProvider.GetRequiredService<ISender>().Send(new ReconcileProvisioningCommand(), TestContext.Current.CancellationToken);
        }

        // Assert
        token.StatusCode.ShouldBe(HttpStatusCode.OK);
        attempts.GetMeasurementSnapshot().ShouldContain(m =>
            Tag(m.Tags, "outcome") == ProvisioningOutcomes.Provisioned && Tag(m.Tags, "alloy.environment") == "Development" && m.Value == 1);
        durations.GetMeasurementSnapshot().ShouldContain(m => Tag(m.Tags, "outcome") == ProvisioningOutcomes.Provisioned && m.Value > 0);
        tokens.GetMeasurementSnapshot().Sum(m => m.Value).ShouldBeGreaterThanOrEqualTo(1);

        // Alloy calls carry the route template (never the user id in the URL) and the status.
        var calls = alloy.GetMeasurementSnapshot();
        calls.ShouldContain(m => Tag(m.Tags, "alloy.endpoint") == "POST /users" && Status(m.Tags) >= 200 && Status(m.Tags) < 300);
        calls.ShouldContain(m => Tag(m.Tags, "alloy.endpoint") == "GET /users/{uid}/token" && Status(m.Tags) == 200);
        calls.ShouldAllBe(m => !Tag(m.Tags, "alloy.endpoint")!.Contains(tenantId, StringComparison.Ordinal));
        alloyDurations.GetMeasurementSnapshot().ShouldContain(m => m.Value > 0);

        backlog.GetMeasurementSnapshot().ShouldContain(m => Tag(m.Tags, "kind") == "provisioning" && m.Value >= 0);
        backlog.GetMeasurementSnapshot().ShouldContain(m => Tag(m.Tags, "kind") == "deprovisioning");
    }

    [Fact]
    public async Task Otlp_WhenAnEndpointIsConfigured_ShouldExportTracesAndTheHubsMetrics()
    {
        // Arrange: a stand-in OTLP/HTTP collector on a loopback port, and a hub told to export there quickly.
        await using var collector = await FakeOtlpCollector.StartAsync();
        await using var configured = new ConfiguredHub(new Dictionary<string, string?>
        {
            ["Alloy:Sandbox"] = "true",
            ["OpenTelemetry:OtlpEndpoint"] = collector.Address,
            ["OpenTelemetry:OtlpProtocol"] = "HttpProtobuf",
            ["OTEL_SERVICE_NAME"] = "integrationhub-otlp-test",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        });
        var service = configured.CreateClient(HubFactory.ServiceKey);
        var tenantId = HubApi.NewTenantId("otlp");

        // Act
        using var signup = await service.PostAsJsonAsync("/api/tenants", new { tenantId, name = "Otlp Ltd" }, TestContext.Current.CancellationToken);
        await HubScenarios.WaitForStateAsync(service, tenantId, "Provisioned", TestContext.Current.CancellationToken);

        // Assert: protobuf carries names as plain UTF-8, so the payloads can be searched without a decoder.
        signup.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await Poll.UntilAsync(
            () => collector.Contains("/v1/traces", "integrationhub-otlp-test") && collector.Contains("/v1/traces", "/api/tenants"),
            "a trace of POST /api/tenants to be exported");
        await Poll.UntilAsync(
            () => collector.Contains("/v1/metrics", HubMetrics.ProvisioningAttemptsName) && collector.Contains("/v1/metrics", HubMetrics.AlloyRequestsName),
            "the hub's metrics to be exported");
        collector.Contains("/v1/metrics", "http.server.request.duration").ShouldBeTrue();
    }

    private static string? Tag(IReadOnlyDictionary<string, object?> tags, string key) => tags.TryGetValue(key, out var value) ? value?.ToString() : null;

    private static int? Status(IReadOnlyDictionary<string, object?> tags) =>
        tags.TryGetValue("http.response.status_code", out var value) && value is int status ? status : null;

    /// <summary>Accepts OTLP/HTTP protobuf exports and keeps the raw bodies per signal path.</summary>
    private sealed class FakeOtlpCollector : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<(string Path, byte[] Body)> _exports = new();

        private FakeOtlpCollector(WebApplication app) => _app = app;

        public string Address => _app.Urls.First();

        public static async Task<FakeOtlpCollector> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls($"http://127.0.0.1:{HubProcess.FreePort()}");
            var app = builder.Build();
            var collector = new FakeOtlpCollector(app);
            app.MapPost("/v1/{signal}", async (HttpContext http) =>
            {
                using var body = new MemoryStream();
                await http.Request.Body.CopyToAsync(body);
                collector._exports.Enqueue((http.Request.Path.Value!, body.ToArray()));
                http.Response.ContentType = "application/x-protobuf";
                return Results.Ok();
            });
            await app.StartAsync();
            return collector;
        }

        public bool Contains(string path, string text)
        {
            var needle = Encoding.UTF8.GetBytes(text);
            return _exports.Any(e => e.Path == path && e.Body.AsSpan().IndexOf(needle) >= 0);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
