using System.Diagnostics;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Models;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Application.Common.Telemetry;
using IntegrationHub.Application.OutboundWebhooks;
using IntegrationHub.Application.Provisioning;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Events;
using IntegrationHub.Domain.OutboundWebhooks;
using IntegrationHub.Domain.Tenants;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.Events.DeliverTenantEvents;

/// <summary>
/// Delivers one tenant's due events to Alloy (<c>POST /run/event</c>, E2) in acceptance order, at most
/// <c>Events:MaxInFlightPerTenant</c> at a time, for up to <see cref="DeliverTenantEventsCommandHandler.Slice"/>; then
/// the job yields its worker and queues itself again behind the other tenants. Releases held events once the tenant's
/// Alloy user exists, holds them again when it does not (an environment switch), fails them when the tenant is
/// offboarded. Safe to run any number of times, concurrently, after any crash: every attempt takes a lease on its row.
/// </summary>
public sealed record DeliverTenantEventsCommand(string TenantId) : ICommand<int>;

internal sealed partial class DeliverTenantEventsCommandHandler(
    IApplicationDbContext db,
    IAlloyClient alloy,
    IBackgroundJobs jobs,
    TenantEventDispatch dispatch,
    IWebhookOutbox webhooks,
    EnvironmentAccounts environmentAccounts,
    IOptionsMonitor<EventsOptions> options,
    IOptionsMonitor<HubAlloyOptions> alloyOptions,
    IOptionsMonitor<ProvisioningOptions> provisioning,
    TimeProvider time,
    HubMetrics metrics,
    ILogger<DeliverTenantEventsCommandHandler> logger) : ICommandHandler<DeliverTenantEventsCommand, int>
{
    /// <summary>How long one job delivers for one tenant before it lets the other tenants' jobs run.</summary>
    public static readonly TimeSpan Slice = TimeSpan.FromSeconds(5);

    /// <summary>Beyond Alloy's total request timeout, how long an attempt holds the event before the reconciler may retry it.</summary>
    private static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(30);

    public async ValueTask<int> Handle(DeliverTenantEventsCommand command, CancellationToken cancellationToken)
    {
        var tenantId = TenantId.From(command.TenantId);
        if (!dispatch.TryBegin(tenantId))
        {
            return 0; // this tenant's running job passes again for this request
        }

        var delivered = 0;
        var ended = false;
        try
        {
            var started = Stopwatch.GetTimestamp();
            while (true)
            {
                var pass = await PassAsync(tenantId, started, cancellationToken);
                delivered += pass.Delivered;
                if (pass.SliceSpent)
                {
                    dispatch.End(tenantId);
                    ended = true;
                    dispatch.Request(tenantId, jobs.EnqueueTenantEvents);
                    break;
                }

                if (!dispatch.ShouldContinue(tenantId))
                {
                    ended = true;
                    if (pass.NextAt is { } next)
                    {
                        jobs.ScheduleTenantEvents(tenantId.Value, next);
                    }

                    break;
                }
            }
        }
        finally
        {
            if (!ended)
            {
                dispatch.End(tenantId); // a failure: the reconciler asks again for whatever is still due
            }
        }

        return delivered;
    }

    /// <summary>One pass over the tenant's due events.</summary>
    private async Task<Pass> PassAsync(TenantId tenantId, long started, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var environment = alloyOptions.CurrentValue.Environment;
        var now = time.GetUtcNow();
        var account = await db.AlloyAccounts.AsNoTracking()
            .FirstOrDefaultAsync(a => a.TenantId == tenantId && a.Environment == environment, cancellationToken);
        var offboarded = account is { State: ProvisioningState.Deprovisioning or ProvisioningState.Deprovisioned }
                         || await db.Tenants.AsNoTracking().AnyAsync(t => t.TenantId == tenantId && t.DeletedAt != null, cancellationToken);
        if (offboarded)
        {
            await FailOpenAsync(tenantId, "The tenant was offboarded before the event reached Alloy.", cancellationToken);
            return new Pass(0, SliceSpent: false, NextAt: null);
        }

        if (account is not { State: ProvisioningState.Provisioned, UserId: { } userId })
        {
            if (account is null)
            {
                await environmentAccounts.EnsureAsync(tenantId, environment, alloyOptions.CurrentValue.UsernamePrefix, cancellationToken);
            }

            // Not leased ones only: an attempt running elsewhere keeps its outcome.
            var held = await db.TenantEvents
                .Where(e => e.TenantId == tenantId && e.State == TenantEventState.Pending && e.NextAttemptAt <= now)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.State, TenantEventState.Held).SetProperty(e => e.NextAttemptAt, (DateTimeOffset?)null), cancellationToken);
            if (held > 0)
            {
                LogHeld(logger, tenantId.Value, held, environment);
            }

            return new Pass(0, SliceSpent: false, NextAt: null);
        }

        var released = await db.TenantEvents
            .Where(e => e.TenantId == tenantId && e.State == TenantEventState.Held)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.State, TenantEventState.Pending).SetProperty(e => e.NextAttemptAt, now), cancellationToken);
        if (released > 0)
        {
            LogReleased(logger, tenantId.Value, released);
        }

        var lease = alloyOptions.CurrentValue.Resilience.TotalRequestTimeout + LeaseMargin;
        var delivered = 0;
        DateTimeOffset? pausedUntil = null;
        while (true)
        {
            now = time.GetUtcNow();
            var due = now + ScheduledJobs.EarlyTolerance;
            var batch = await db.TenantEvents
                .Where(e => e.TenantId == tenantId && e.State == TenantEventState.Pending && e.NextAttemptAt <= due)
                .OrderBy(e => e.Id)
                .Take(settings.MaxInFlightPerTenant)
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var e in batch)
            {
                e.BeginAttempt(now, lease);
            }

            if (!await db.TrySaveChangesAsync(cancellationToken))
            {
                continue; // another process leased some of them first; the rest are read again
            }

            var outcome = await SendBatchAsync(batch, userId, settings, cancellationToken);
            delivered += outcome.Delivered;
            if (outcome.PauseUntil is { } pause)
            {
                // Alloy is unavailable or refuses the hub's key: stop for this tenant until then instead of trying every due event.
                pausedUntil = pause;
                break;
            }

            if (Stopwatch.GetElapsedTime(started) >= Slice)
            {
                return new Pass(delivered, SliceSpent: true, NextAt: null);
            }
        }

        var next = pausedUntil ?? await db.TenantEvents.AsNoTracking()
            .Where(e => e.TenantId == tenantId && e.State == TenantEventState.Pending && e.NextAttemptAt > now)
            .MinAsync(e => e.NextAttemptAt, cancellationToken);
        return new Pass(delivered, SliceSpent: false, next);
    }

    private async Task<BatchOutcome> SendBatchAsync(List<TenantEvent> batch, string userId, EventsOptions settings, CancellationToken cancellationToken)
    {
        var sends = batch.Select(e => SendAsync(e, userId, cancellationToken)).ToArray();
        (Result Result, long DurationMs)[] results;
        try
        {
            results = await Task.WhenAll(sends);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: give the leases back without spending attempts; an event Alloy took meanwhile may run twice.
            var at = time.GetUtcNow();
            foreach (var e in batch.Where(e => e.State == TenantEventState.Pending))
            {
                e.Defer("Interrupted by shutdown before Alloy answered.", at);
            }

            await db.TrySaveChangesAsync(CancellationToken.None);
            throw;
        }

        var done = time.GetUtcNow();
        var delivered = 0;
        DateTimeOffset? pause = null;
        for (var i = 0; i < batch.Count; i++)
        {
            var e = batch[i];
            var (result, durationMs) = results[i];
            string outcome;
            if (result.IsSuccess)
            {
                e.MarkDelivered(userId, done);
                outcome = TenantEventAttemptOutcomes.Delivered;
                delivered++;
                metrics.EventDelivered(done - e.AcceptedAt);
            }
            else if (result.Error.Code == AlloyErrors.KeyRejectedCode)
            {
                var retryAt = done + provisioning.CurrentValue.KeyRejectedRetryDelay;
                e.Defer(result.Error.Description, retryAt);
                outcome = TenantEventAttemptOutcomes.Deferred;
                pause = Earliest(pause, retryAt);
            }
            else if (result.Error.Code == AlloyErrors.UnavailableCode && e.Attempts < settings.MaxAttempts)
            {
                var retryAt = done + Backoff.DelayAfter(e.Attempts, settings.BaseDelay, settings.MaxDelay, result.Error.RetryAfter);
                e.RecordFailure(result.Error.Description, retryAt);
                outcome = TenantEventAttemptOutcomes.Retrying;
                pause = Earliest(pause, retryAt);
            }
            else
            {
                var reason = result.Error.Code == AlloyErrors.UnavailableCode
                    ? $"{result.Error.Description} (attempt {e.Attempts} of {settings.MaxAttempts}; no attempts left)"
                    : result.Error.Description;
                e.RecordFailure(reason, retryAt: null);
                outcome = TenantEventAttemptOutcomes.Failed;
                await ReportFailedAsync(e, done, cancellationToken);
            }

            db.TenantEventAttempts.Add(TenantEventAttempt.Record(e.Id, done, durationMs, outcome, result.IsSuccess ? null : result.Error.Description));
        }

        // A lost race here means another worker took over these rows after our lease ended; its outcome stands.
        if (await db.TrySaveChangesAsync(cancellationToken))
        {
            db.ClearChangeTracker(); // a long drain keeps only the batch in flight in memory
        }
        LogBatch(logger, batch[0].TenantId.Value, batch.Count, delivered);

        // Only a pause when nothing got through: one event refused while others pass is that event's own trouble.
        return new BatchOutcome(delivered, delivered == 0 ? pause : null);
    }

    private async Task<(Result Result, long DurationMs)> SendAsync(TenantEvent e, string userId, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await alloy.RunEventAsync(userId, e.Name, e.Data, cancellationToken);
        return (result, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>Fails every open event of an offboarded tenant, in chunks, each with its <c>event.failed</c> webhook.</summary>
    private async Task FailOpenAsync(TenantId tenantId, string reason, CancellationToken cancellationToken)
    {
        while (true)
        {
            var now = time.GetUtcNow();
            var open = await db.TenantEvents
                .Where(e => e.TenantId == tenantId
                            && (e.State == TenantEventState.Held || (e.State == TenantEventState.Pending && e.NextAttemptAt <= now)))
                .OrderBy(e => e.Id)
                .Take(200)
                .ToListAsync(cancellationToken);
            if (open.Count == 0)
            {
                return;
            }

            foreach (var e in open)
            {
                e.Fail(reason);
                await ReportFailedAsync(e, now, cancellationToken);
            }

            if (!await db.TrySaveChangesAsync(cancellationToken))
            {
                continue;
            }

            db.ClearChangeTracker();
        }
    }

    /// <summary>In the same save as the failure (the outbox): the SaaS learns of every event that will not reach Alloy.</summary>
    private async Task ReportFailedAsync(TenantEvent e, DateTimeOffset now, CancellationToken cancellationToken)
    {
        metrics.EventFailed();
        await webhooks.AddAsync(
            WebhookEventTypes.EventFailed,
            new EventFailedData(e.EventId, e.TenantId.Value, e.Name, e.Attempts, e.LastError, now),
            WebhookOutbox.VersionOf(now),
            cancellationToken);
        LogFailed(logger, e.EventId, e.TenantId.Value, e.Name, e.Attempts, e.LastError);
    }

    private static DateTimeOffset Earliest(DateTimeOffset? current, DateTimeOffset candidate) =>
        current is { } c && c < candidate ? c : candidate;

    private sealed record Pass(int Delivered, bool SliceSpent, DateTimeOffset? NextAt);

    private sealed record BatchOutcome(int Delivered, DateTimeOffset? PauseUntil);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Tenant {TenantId}: {Count} event(s) attempted, {Delivered} delivered")]
    private static partial void LogBatch(ILogger logger, string tenantId, int count, int delivered);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tenant {TenantId} has no provisioned Alloy user in {Environment}: {Count} event(s) held")]
    private static partial void LogHeld(ILogger logger, string tenantId, int count, AlloyEnvironment environment);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tenant {TenantId} is provisioned: {Count} held event(s) released")]
    private static partial void LogReleased(ILogger logger, string tenantId, int count);

    // Not {EventId}: the logging pipeline's own EventId (the log message's id) would replace it.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {TenantEventId} ({EventName}) of tenant {TenantId} failed after {Attempts} attempt(s): {Reason}")]
    private static partial void LogFailed(ILogger logger, string tenantEventId, string tenantId, string eventName, int attempts, string? reason);
}
