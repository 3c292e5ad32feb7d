using System.Runtime.CompilerServices;
using IntegrationHub.Domain.OutboundWebhooks;
using IntegrationHub.Infrastructure.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace IntegrationHub.Infrastructure.Persistence;

/// <summary>
/// The outbox's relay: every webhook delivery saved as new (or started again by a replay) gets its delivery job once
/// the save has committed — at once after a save without a transaction, after the commit inside one, never after a
/// rollback. A job lost in between is re-enqueued by the reconciler from the row.
/// </summary>
public sealed class WebhookDeliveryInterceptor(AfterCommitInterceptor afterCommit, IServiceProvider services) : SaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, List<WebhookDelivery>> _saving = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Enqueue(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Enqueue(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void Collect(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        context.ChangeTracker.DetectChanges();
        var ready = context.ChangeTracker.Entries<WebhookDelivery>()
            .Where(e => e.Entity.State == WebhookDeliveryState.Pending
                        && (e.State == EntityState.Added
                            || (e.State == EntityState.Modified && e.Entity.Attempts == 0
                                && (e.Property(d => d.Attempts).IsModified || e.Property(d => d.State).IsModified))))
            .Select(e => e.Entity)
            .ToList();
        lock (_saving)
        {
            _saving.AddOrUpdate(context, ready);
        }
    }

    private void Enqueue(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        List<WebhookDelivery>? ready;
        lock (_saving)
        {
            if (!_saving.TryGetValue(context, out ready))
            {
                return;
            }

            _saving.Remove(context);
        }

        if (ready.Count == 0)
        {
            return;
        }

        var ids = ready.Select(d => d.Id).ToList();
        afterCommit.Run(context, () =>
        {
            var client = (IBackgroundJobClient)services.GetService(typeof(IBackgroundJobClient))!;
            foreach (var id in ids)
            {
                client.Enqueue<WebhookDeliveryJob>(j => j.RunAsync(id, CancellationToken.None));
            }
        });
    }

    private void Forget(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        lock (_saving)
        {
            _saving.Remove(context);
        }
    }
}
