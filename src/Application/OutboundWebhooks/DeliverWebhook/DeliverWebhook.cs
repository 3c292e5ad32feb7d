using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.OutboundWebhooks;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.OutboundWebhooks.DeliverWebhook;

/// <summary>
/// One attempt of one delivery: POST the message to its endpoint, record the attempt, and decide what comes next
/// (delivered, retry later, failed, or the endpoint disabled). Safe to run any number of times, concurrently.
/// </summary>
public sealed record DeliverWebhookCommand(long DeliveryId) : ICommand<Result<WebhookDeliveryState>>;

internal sealed partial class DeliverWebhookCommandHandler(
    IApplicationDbContext db,
    IWebhookSender sender,
    IBackgroundJobs jobs,
    WebhookEndpointConcurrency concurrency,
    IOptionsMonitor<WebhooksOptions> options,
    TimeProvider time,
    ILogger<DeliverWebhookCommandHandler> logger) : ICommandHandler<DeliverWebhookCommand, Result<WebhookDeliveryState>>
{
    /// <summary>Beyond the request timeout, how long an attempt holds the delivery before the reconciler may retry it.</summary>
    private static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(30);

    public async ValueTask<Result<WebhookDeliveryState>> Handle(DeliverWebhookCommand command, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var delivery = await db.WebhookDeliveries.Include(d => d.Message).FirstOrDefaultAsync(d => d.Id == command.DeliveryId, cancellationToken);
        if (delivery is null)
        {
            return new Error("webhook-delivery-not-found", $"Webhook delivery {command.DeliveryId} does not exist.", ErrorType.NotFound);
        }

        var now = time.GetUtcNow();
        if (!delivery.IsDue(now + ScheduledJobs.EarlyTolerance))
        {
            return delivery.State;
        }

        var endpoint = await db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == delivery.EndpointId, cancellationToken);
        if (endpoint is not { Enabled: true })
        {
            delivery.Cancel(endpoint is null ? "The endpoint was deleted." : $"The endpoint is disabled: {endpoint.DisabledReason ?? "by an admin"}");
            await db.TrySaveChangesAsync(cancellationToken);
            return delivery.State;
        }

        // A slow endpoint holds at most this many workers; a delivery beyond that waits for a slot, spending no attempt.
        using var slot = concurrency.TryEnter(endpoint.Id, delivery.Id, settings.MaxConcurrentPerEndpoint, jobs.EnqueueWebhookDelivery);
        if (slot is null)
        {
            LogEndpointBusy(logger, delivery.Message.MessageId, endpoint.Id, settings.MaxConcurrentPerEndpoint);
            return delivery.State;
        }

        delivery.BeginAttempt(now, settings.Timeout + LeaseMargin);
        if (!await db.TrySaveChangesAsync(cancellationToken))
        {
            return WebhookDeliveryState.Pending; // another worker took this attempt
        }

        var result = await sender.SendAsync(
            new OutgoingWebhook(endpoint.Url, delivery.Message.MessageId, now, delivery.Message.Body, endpoint.SigningSecrets(now)), cancellationToken);
        var done = time.GetUtcNow();
        db.WebhookAttempts.Add(WebhookAttempt.Record(delivery.Id, now, result.StatusCode, result.DurationMs, result.ResponseSnippet, result.Error));

        var gone = result.StatusCode == 410;
        if (result.IsSuccess)
        {
            delivery.MarkDelivered(result.StatusCode!.Value, result.DurationMs);
        }
        else
        {
            var delay = gone ? null : WebhookRetrySchedule.DelayAfter(delivery.Attempts, settings, result.StatusCode is 429 or 503 ? result.RetryAfter : null);
            delivery.RecordFailure(result.StatusCode, result.DurationMs, Describe(result), done + delay);
        }

        if (!await db.TrySaveChangesAsync(cancellationToken))
        {
            return WebhookDeliveryState.Pending;
        }

        var disabledReason = await UpdateEndpointAsync(endpoint.Id, result, done, settings, cancellationToken);
        if (disabledReason is not null)
        {
            await CancelPendingAsync(endpoint.Id, disabledReason, cancellationToken);
        }

        if (delivery is { State: WebhookDeliveryState.Pending, NextAttemptAt: { } retryAt })
        {
            jobs.ScheduleWebhookDelivery(delivery.Id, retryAt);
        }

        LogAttempt(logger, delivery.Message.MessageId, delivery.Message.Type, endpoint.Id, delivery.Attempts, result.StatusCode, delivery.State);
        return delivery.State;
    }

    /// <summary>The endpoint's failure streak; the row may be changed by deliveries running beside this one, so retry on a conflict.</summary>
    /// <returns>The reason the endpoint was disabled by this attempt, or null.</returns>
    private async Task<string?> UpdateEndpointAsync(string endpointId, WebhookSendResult result, DateTimeOffset now, WebhooksOptions settings, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var endpoint = await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == endpointId, cancellationToken);
            if (endpoint is null)
            {
                return null;
            }

            string? disabled = null;
            if (result.IsSuccess)
            {
                endpoint.RecordSuccess(now);
            }
            else if (result.StatusCode == 410)
            {
                if (endpoint.Enabled)
                {
                    disabled = "The endpoint answered 410 Gone.";
                    endpoint.Disable(disabled, now);
                }
            }
            else if (endpoint.RecordFailure(now, settings.DisableAfter))
            {
                disabled = endpoint.DisabledReason;
            }

            if (await db.TrySaveChangesAsync(cancellationToken))
            {
                if (disabled is not null)
                {
                    LogDisabled(logger, endpointId, disabled);
                }

                return disabled;
            }
        }

        return null;
    }

    private async Task CancelPendingAsync(string endpointId, string reason, CancellationToken cancellationToken)
    {
        var pending = await db.WebhookDeliveries
            .Where(d => d.EndpointId == endpointId && d.State == WebhookDeliveryState.Pending)
            .ToListAsync(cancellationToken);
        foreach (var other in pending)
        {
            other.Cancel($"The endpoint was disabled: {reason}");
        }

        // A delivery being attempted right now keeps its own outcome; the rest are cancelled.
        await db.TrySaveChangesAsync(cancellationToken);
    }

    private static string Describe(WebhookSendResult result) =>
        result.Error ?? $"The endpoint answered {result.StatusCode}.";

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {MessageId} ({Type}) to endpoint {EndpointId}: attempt {Attempts} answered {StatusCode}; the delivery is {State}")]
    private static partial void LogAttempt(ILogger logger, string messageId, string type, string endpointId, int attempts, int? statusCode, WebhookDeliveryState state);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook {MessageId} waits: endpoint {EndpointId} already has {Limit} deliveries in flight")]
    private static partial void LogEndpointBusy(ILogger logger, string messageId, string endpointId, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook endpoint {EndpointId} disabled: {Reason}")]
    private static partial void LogDisabled(ILogger logger, string endpointId, string reason);
}
