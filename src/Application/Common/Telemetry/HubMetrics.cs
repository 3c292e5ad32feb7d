using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace IntegrationHub.Application.Common.Telemetry;

/// <summary>
/// The hub's own instruments, on the meter <see cref="MeterName"/>: provisioning outcomes and durations, modal tokens
/// issued, Alloy calls by endpoint and status, and the reconciler's backlog. Recording costs next to nothing when no
/// listener (OpenTelemetry, dotnet-counters, a test's collector) is attached. Tags are low-cardinality by design:
/// never a tenant id, user id or URL.
/// </summary>
public sealed class HubMetrics
{
    public const string MeterName = "IntegrationHub";

    public const string ProvisioningAttemptsName = "integrationhub.provisioning.attempts";
    public const string ProvisioningDurationName = "integrationhub.provisioning.duration";
    public const string TokensIssuedName = "integrationhub.tokens.issued";
    public const string AlloyRequestsName = "integrationhub.alloy.requests";
    public const string AlloyRequestDurationName = "integrationhub.alloy.request.duration";
    public const string ReconcilerBacklogName = "integrationhub.reconciler.backlog";
    public const string EventsAcceptedName = "integrationhub.events.accepted";
    public const string EventsDeliveredName = "integrationhub.events.delivered";
    public const string EventsFailedName = "integrationhub.events.failed";
    public const string EventsHeldName = "integrationhub.events.held";
    public const string EventDeliveryLatencyName = "integrationhub.events.delivery.latency";

    private static readonly InstrumentAdvice<double> SecondsBuckets = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    };

    private readonly Counter<long> _provisioningAttempts;
    private readonly Histogram<double> _provisioningDuration;
    private readonly Counter<long> _tokensIssued;
    private readonly Counter<long> _alloyRequests;
    private readonly Histogram<double> _alloyRequestDuration;
    private readonly Gauge<long> _reconcilerBacklog;
    private readonly Counter<long> _eventsAccepted;
    private readonly Counter<long> _eventsDelivered;
    private readonly Counter<long> _eventsFailed;
    private readonly Counter<long> _eventsHeld;
    private readonly Histogram<double> _eventDeliveryLatency;

    public HubMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _provisioningAttempts = meter.CreateCounter<long>(
            ProvisioningAttemptsName, "{attempt}", "Provisioning attempts that called Alloy, by outcome.");
        _provisioningDuration = meter.CreateHistogram(
            ProvisioningDurationName, "s", "Duration of a provisioning attempt, from taking the lease to committing the outcome.", advice: SecondsBuckets);
        _tokensIssued = meter.CreateCounter<long>(TokensIssuedName, "{token}", "Modal tokens handed out to frontends.");
        _alloyRequests = meter.CreateCounter<long>(
            AlloyRequestsName, "{request}", "HTTP requests sent to Alloy (each retry counts), by endpoint template and status.");
        _alloyRequestDuration = meter.CreateHistogram(
            AlloyRequestDurationName, "s", "Duration of one HTTP request to Alloy.", advice: SecondsBuckets);
        _reconcilerBacklog = meter.CreateGauge<long>(
            ReconcilerBacklogName, "{account}", "Accounts whose next attempt was due when the reconciler last ran, by work kind.");
        _eventsAccepted = meter.CreateCounter<long>(EventsAcceptedName, "{event}", "Tenant events accepted by the intake (a repeated idempotency key is not counted again).");
        _eventsDelivered = meter.CreateCounter<long>(EventsDeliveredName, "{event}", "Tenant events Alloy accepted.");
        _eventsFailed = meter.CreateCounter<long>(EventsFailedName, "{event}", "Tenant events that failed for good (refused, out of attempts, tenant offboarded).");
        _eventsHeld = meter.CreateCounter<long>(EventsHeldName, "{event}", "Tenant events accepted while the tenant had no provisioned Alloy user (held until it has).");
        _eventDeliveryLatency = meter.CreateHistogram(
            EventDeliveryLatencyName, "s", "From acceptance to Alloy's acceptance of a tenant event.", advice: SecondsBuckets);
    }

    /// <param name="outcome">One of <see cref="ProvisioningOutcomes"/>.</param>
    public void ProvisioningAttempted(string outcome, string environment, TimeSpan duration)
    {
        var tags = new TagList { { "outcome", outcome }, { "alloy.environment", environment } };
        _provisioningAttempts.Add(1, tags);
        _provisioningDuration.Record(duration.TotalSeconds, tags);
    }

    public void TokenIssued(string environment) => _tokensIssued.Add(1, new KeyValuePair<string, object?>("alloy.environment", environment));

    /// <param name="endpoint">The route template, e.g. <c>GET /users/{uid}/token</c>.</param>
    /// <param name="status">The HTTP status, or null when no response arrived.</param>
    /// <param name="error">Why no response arrived (<c>timeout</c>, <c>canceled</c>, the exception type), else null.</param>
    public void AlloyRequestCompleted(string endpoint, int? status, string? error, TimeSpan duration)
    {
        var tags = new TagList { { "alloy.endpoint", endpoint } };
        if (status is { } code)
        {
            tags.Add("http.response.status_code", code);
        }

        if (error is not null)
        {
            tags.Add("error.type", error);
        }

        _alloyRequests.Add(1, tags);
        _alloyRequestDuration.Record(duration.TotalSeconds, tags);
    }

    /// <param name="kind"><c>provisioning</c> or <c>deprovisioning</c>.</param>
    public void ReconcilerBacklog(string kind, long due) => _reconcilerBacklog.Record(due, new KeyValuePair<string, object?>("kind", kind));

    /// <param name="held">The tenant had no provisioned Alloy user yet.</param>
    public void EventAccepted(bool held)
    {
        _eventsAccepted.Add(1);
        if (held)
        {
            _eventsHeld.Add(1);
        }
    }

    /// <param name="latency">From acceptance to delivery.</param>
    public void EventDelivered(TimeSpan latency)
    {
        _eventsDelivered.Add(1);
        _eventDeliveryLatency.Record(latency.TotalSeconds);
    }

    public void EventFailed() => _eventsFailed.Add(1);
}

/// <summary>Values of the <c>outcome</c> tag of the provisioning instruments.</summary>
public static class ProvisioningOutcomes
{
    public const string Provisioned = "provisioned";
    public const string RetryScheduled = "retry_scheduled";
    public const string Failed = "failed";
    public const string Deferred = "deferred";
    public const string LostRace = "lost_race";
    public const string Interrupted = "interrupted";
}
