using System.Diagnostics.Metrics;
using IntegrationHub.Application.Common.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace IntegrationHub.WebApi.FunctionalTests.Events;

/// <summary>The event plane's instruments on the hub's meter: accepted, held, delivered, failed and the delivery latency.</summary>
public sealed class EventMetricsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metrics_WhenEventsAreHeldDeliveredAndRefused_ShouldRecordEveryEventInstrument()
    {
        // Arrange: collectors scoped to this hub's meter factory; provisioning waits at the gate.
        await using var events = await EventHub.StartAsync();
        var scope = events.Hub.Services.GetRequiredService<IMeterFactory>();
        using var accepted = new MetricCollector<long>(scope, HubMetrics.MeterName, HubMetrics.EventsAcceptedName);
        using var held = new MetricCollector<long>(scope, HubMetrics.MeterName, HubMetrics.EventsHeldName);
        using var delivered = new MetricCollector<long>(scope, HubMetrics.MeterName, HubMetrics.EventsDeliveredName);
        using var failed = new MetricCollector<long>(scope, HubMetrics.MeterName, HubMetrics.EventsFailedName);
        using var latency = new MetricCollector<double>(scope, HubMetrics.MeterName, HubMetrics.EventDeliveryLatencyName);
        await events.Sandbox.CloseGateAsync("POST", "/users", cancellationToken: Ct);
        var tenantId = await events.SignUpAsync("metrics");
        await Poll.UntilAsync(ct => events.Sandbox.HeldAtGateAsync(ct), n => n == 1, "provisioning to wait at the gate");

        // Act: one event held then delivered, one refused by Alloy.
        var first = EventHub.EventId(await events.AcceptAsync(tenantId, "ticket.created", EventHub.Ticket("TCK-M1")));
        await events.Sandbox.OpenGateAsync(Ct);
        await events.WaitForEventAsync(tenantId, first, "Delivered");
        await events.Sandbox.SetFaultsAsync(new { scripted = new[] { new { method = "POST", path = "/run/event", status = 400, times = 1 } } }, Ct);
        var second = EventHub.EventId(await events.AcceptAsync(tenantId, "ticket.created", EventHub.Ticket("TCK-M2")));
        await events.WaitForEventAsync(tenantId, second, "Failed");

        // Assert
        accepted.GetMeasurementSnapshot().Sum(m => m.Value).ShouldBe(2);
        held.GetMeasurementSnapshot().Sum(m => m.Value).ShouldBe(1);
        delivered.GetMeasurementSnapshot().Sum(m => m.Value).ShouldBe(1);
        await Poll.UntilAsync(() => failed.GetMeasurementSnapshot().Sum(m => m.Value) == 1, "the failed counter");
        var seconds = latency.GetMeasurementSnapshot().ShouldHaveSingleItem().Value;
        seconds.ShouldBeGreaterThan(0);
        seconds.ShouldBeLessThan(60);
    }
}
