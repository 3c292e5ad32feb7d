using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Provisioning.ProvisionAlloyUser;
using IntegrationHub.Domain.AlloyAccounts;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Application.Provisioning.ProvisionDueAccounts;

/// <summary>
/// Provisions every account that is due, oldest first, until none is left: each round is one
/// <see cref="ProvisionAlloyUserCommand"/> for the oldest due account, which takes the accounts due with it as one batch
/// when there are enough (<see cref="BatchProvisioning"/>) and the single path otherwise. This is what a signup (or a
/// retry, or a backfill) asks the job runner for: one such run drains whatever many signups made due meanwhile, so a
/// burst costs a few jobs instead of one per tenant, and a lone signup is still provisioned at once. Safe to run any
/// number of times, concurrently: every attempt takes a lease first. Returns how many rounds made an attempt.
/// </summary>
public sealed record ProvisionDueAccountsCommand : ICommand<int>;

internal sealed class ProvisionDueAccountsCommandHandler(IApplicationDbContext db, ISender sender, TimeProvider time)
    : ICommandHandler<ProvisionDueAccountsCommand, int>
{
    /// <summary>A bound on one run; whatever is still due after it is left to the next run and the reconciler.</summary>
    internal const int MaxRounds = 1000;

    public async ValueTask<int> Handle(ProvisionDueAccountsCommand command, CancellationToken cancellationToken)
    {
        var tried = new HashSet<long>();
        var attempted = 0;
        for (var round = 0; round < MaxRounds; round++)
        {
            var now = time.GetUtcNow();
            var oldest = await db.AlloyAccounts.AsNoTracking()
                .Where(a => (a.State == ProvisioningState.Pending || a.State == ProvisioningState.Provisioning) && a.NextAttemptAt <= now)
                .OrderBy(a => a.NextAttemptAt)
                .Select(a => (long?)a.Id)
                .FirstOrDefaultAsync(cancellationToken);

            // Nothing due; or the oldest is one this run already attempted and is due again (its lease went to another
            // worker that has since deferred it, say): its own schedule and the reconciler take it from here.
            if (oldest is not { } accountId || !tried.Add(accountId))
            {
                break;
            }

            var outcome = await sender.Send(new ProvisionAlloyUserCommand(accountId), cancellationToken);
            db.ClearChangeTracker();
            if (outcome.IsSuccess && outcome.Value.Attempted)
            {
                attempted++;
            }
        }

        return attempted;
    }
}
