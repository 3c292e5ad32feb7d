using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace IntegrationHub.Infrastructure.Persistence;

/// <summary>
/// Runs actions once the context's current transaction commits (and drops them on rollback), so a job is
/// never enqueued for a row that a worker could not yet see. Without a transaction the action runs at once.
/// </summary>
public sealed class AfterCommitInterceptor : DbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, List<Action>> _pending = [];

    public void Run(DbContext context, Action action)
    {
        if (context.Database.CurrentTransaction is null)
        {
            action();
            return;
        }

        lock (_pending)
        {
            _pending.GetOrCreateValue(context).Add(action);
        }
    }

    // A transaction disposed without commit or rollback (an exception inside `await using`) raises no event, so
    // its actions would otherwise run on the context's next commit. A new transaction starting means the previous
    // one is over: anything still queued was never committed.
    public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        Flush(eventData.Context, run: false);
        return result;
    }

    public override ValueTask<DbTransaction> TransactionStartedAsync(
        DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        Flush(eventData.Context, run: false);
        return ValueTask.FromResult(result);
    }

    public override DbTransaction TransactionUsed(DbConnection connection, TransactionEventData eventData, DbTransaction result)
    {
        Flush(eventData.Context, run: false);
        return result;
    }

    public override ValueTask<DbTransaction> TransactionUsedAsync(
        DbConnection connection, TransactionEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        Flush(eventData.Context, run: false);
        return ValueTask.FromResult(result);
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Flush(eventData.Context, run: true);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Flush(eventData.Context, run: true);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Flush(eventData.Context, run: false);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Flush(eventData.Context, run: false);
        return Task.CompletedTask;
    }

    public override void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Flush(eventData.Context, run: false);

    public override Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Flush(eventData.Context, run: false);
        return Task.CompletedTask;
    }

    private void Flush(DbContext? context, bool run)
    {
        if (context is null)
        {
            return;
        }

        List<Action>? actions;
        lock (_pending)
        {
            if (!_pending.TryGetValue(context, out actions))
            {
                return;
            }

            _pending.Remove(context);
        }

        if (run)
        {
            foreach (var action in actions)
            {
                action();
            }
        }
    }
}
