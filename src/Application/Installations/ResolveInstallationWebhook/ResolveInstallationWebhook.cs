using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Models;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Application.Integrations;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Installations;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.Installations.ResolveInstallationWebhook;

/// <summary>
/// Resolves one stored installation webhook: Alloy's body names no installation, so the account listing
/// (<c>GET /installations</c>, shared with concurrent refreshes by the client's coalescing) is searched for the
/// user's installation of that integration, and the tenant's records are brought up to date from the user's part of
/// the listing, with history whose source is <see cref="InstallationChangeSource.Webhook"/>. Idempotent: a repeat
/// finds nothing changed and adds no history. An installation Alloy does not list yet, or an Alloy failure, is
/// retried with a doubling delay; after <see cref="MaxAttempts"/> the delivery is settled as not listed (the
/// recurring sync still picks the installation up). Run by a job; the row is the record of intent.
/// </summary>
public sealed record ResolveInstallationWebhookCommand(long WebhookId) : ICommand<InstallationWebhookStatus?>;

internal sealed partial class ResolveInstallationWebhookCommandHandler(
    IApplicationDbContext db,
    IAlloyClient alloy,
    UserIntegrationsCache userIntegrations,
    InstallationSynchronizer synchronizer,
    IBackgroundJobs jobs,
    TimeProvider time,
    ILogger<ResolveInstallationWebhookCommandHandler> logger) : ICommandHandler<ResolveInstallationWebhookCommand, InstallationWebhookStatus?>
{
    /// <summary>Attempts before a delivery whose installation Alloy does not list is given up.</summary>
    public const int MaxAttempts = 8;

    private static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(5);

    /// <summary>How long an attempt holds the row before the reconciler may start another.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    public async ValueTask<InstallationWebhookStatus?> Handle(ResolveInstallationWebhookCommand command, CancellationToken cancellationToken)
    {
        var webhook = await db.InstallationWebhooks.FirstOrDefaultAsync(w => w.Id == command.WebhookId, cancellationToken);
        var now = time.GetUtcNow();
        if (webhook is null || !webhook.IsDue(now + ScheduledJobs.EarlyTolerance) || webhook.TenantId is not { } tenantId)
        {
            return webhook?.Status;
        }

        webhook.BeginAttempt(now + Lease);
        await db.SaveChangesAsync(cancellationToken);

        var environment = webhook.Environment;
        var userId = webhook.AlloyUserId;
        var owned = await db.AlloyAccounts.AsNoTracking()
            .AnyAsync(a => a.TenantId == tenantId && a.Environment == environment && a.UserId == userId, cancellationToken);
        if (!owned)
        {
            webhook.MarkNotListed(time.GetUtcNow(), "The tenant's Alloy account no longer has this user.");
            await db.SaveChangesAsync(cancellationToken);
            return webhook.Status;
        }

        var listed = await alloy.ListUserInstallationsAsync(userId, cancellationToken);
        if (!listed.IsSuccess)
        {
            return await RetryOrGiveUpAsync(webhook, listed.Error.Code, cancellationToken);
        }

        var mine = listed.Value;
        var match = mine
            .Where(i => string.Equals(i.IntegrationId, webhook.IntegrationId, StringComparison.Ordinal))
            .OrderByDescending(i => i.Enabled)
            .ThenByDescending(i => i.InstalledAt)
            .FirstOrDefault();
        if (match is null)
        {
            // The listing may predate the installation (or Alloy may list it a moment later): look again.
            return await RetryOrGiveUpAsync(webhook, "not-listed-yet", cancellationToken);
        }

        await userIntegrations.InvalidateAsync(environment, userId, cancellationToken);
        var integrations = await userIntegrations.ListAsync(environment, userId, cancellationToken);
        var names = integrations.IsSuccess
            ? integrations.Value.ToDictionary(i => i.IntegrationId, i => i.Name, StringComparer.Ordinal)
            : [];
        var snapshots = mine
            .Select(i => new InstallationSnapshot(i.InstallationId, i.IntegrationId, names.GetValueOrDefault(i.IntegrationId, string.Empty), i.Enabled, i.InstalledAt))
            .ToList();
        await synchronizer.SyncTenantAsync(tenantId, environment, snapshots, InstallationChangeSource.Webhook, cancellationToken);

        db.ClearChangeTracker();
        var settled = await db.InstallationWebhooks.FirstAsync(w => w.Id == command.WebhookId, cancellationToken);
        if (settled.Status == InstallationWebhookStatus.Pending)
        {
            settled.MarkResolved(match.InstallationId, time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
        }

        LogResolved(logger, settled.Id, match.InstallationId, tenantId.Value);
        return settled.Status;
    }

    private async Task<InstallationWebhookStatus> RetryOrGiveUpAsync(InstallationWebhook webhook, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (webhook.Attempts >= MaxAttempts)
        {
            webhook.MarkNotListed(now, reason);
            await db.SaveChangesAsync(cancellationToken);
            LogGaveUp(logger, webhook.Id, webhook.Attempts, reason);
            return webhook.Status;
        }

        // Every attempt is answered by a listing made after it asked, so the next one sees what Alloy lists by then.
        var at = now + Backoff.DelayAfter(webhook.Attempts, BaseDelay, MaxDelay);
        webhook.RetryAt(at, reason);
        await db.SaveChangesAsync(cancellationToken);
        jobs.ScheduleInstallationWebhook(webhook.Id, at);
        LogRetry(logger, webhook.Id, reason, at);
        return webhook.Status;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Installation webhook {WebhookId} resolved to installation {InstallationId} of tenant {TenantId}")]
    private static partial void LogResolved(ILogger logger, long webhookId, string installationId, string tenantId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Installation webhook {WebhookId} not resolved ({Reason}); next attempt at {At}")]
    private static partial void LogRetry(ILogger logger, long webhookId, string reason, DateTimeOffset at);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Installation webhook {WebhookId} given up after {Attempts} attempt(s): {Reason}; the recurring sync will pick the installation up if Alloy lists it")]
    private static partial void LogGaveUp(ILogger logger, long webhookId, int attempts, string reason);
}
