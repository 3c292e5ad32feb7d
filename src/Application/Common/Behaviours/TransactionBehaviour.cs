using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Domain.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Application.Common.Behaviours;

/// <summary>
/// Runs an <see cref="ITransactionalCommand{TResponse}"/> in one database transaction inside the provider's
/// execution strategy (so SQL Server's retry-on-failure can replay it whole); an already open transaction is
/// joined, not nested. A failed result rolls back.
/// </summary>
/// <remarks>
/// The context is resolved only for a transactional command: every other request (a token from the reuse window,
/// a query) passes through without renting a <c>DbContext</c> from the pool and returning it (a measurable share of
/// the token hit path's CPU, docs/adr/0012-performance.md).
/// </remarks>
public sealed class TransactionBehaviour<TMessage, TResponse>(Lazy<IApplicationDbContext> database)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (message is not ITransactionalCommand<TResponse>)
        {
            return await next(message, cancellationToken);
        }

        var db = database.Value;
        if (db.Database.CurrentTransaction is not null)
        {
            return await next(message, cancellationToken);
        }

        var strategy = db.Database.CreateExecutionStrategy();
        var attempt = 0;
        return await strategy.ExecuteAsync(async ct =>
        {
            if (attempt++ > 0)
            {
                // SQL Server's retrying strategy replays the whole command after a transient failure (deadlock victim,
                // failover): the rolled-back attempt's entities must not be saved again.
                db.ClearChangeTracker();
            }

            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var response = await next(message, ct);
            if (response is Result { IsSuccess: false })
            {
                await transaction.RollbackAsync(ct);
                db.ClearChangeTracker();
            }
            else
            {
                await transaction.CommitAsync(ct);
            }

            return response;
        }, cancellationToken);
    }
}
