using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Application.Provisioning.ProvisionAlloyUser;
using IntegrationHub.Domain.AlloyAccounts;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.Provisioning.ProvisionDueAccounts;

/// <summary>
/// Provisions every account that is due, oldest first, until none is left: each round is one
/// <see cref="ProvisionAlloyUserCommand"/> for the oldest due account, which takes the accounts due with it as one batch
/// when there are enough (<see cref="BatchProvisioning"/>). Too few for a batch (or batching off): each gets a job of its
/// own for the single path, so single creates run side by side and the run ends. This is what a signup (or a
/// retry, or a backfill) asks the job runner for: one such run drains whatever many signups made due meanwhile, so a
/// burst costs a few jobs instead of one per tenant, and a lone signup is still provisioned at once. Safe to run any
/// number of times, concurrently: every attempt takes a lease first. Returns how many batch rounds made an attempt.
/// </summary>
public sealed record ProvisionDueAccountsCommand : ICommand<int>;

internal sealed class ProvisionDueAccountsCommandHandler(
    IApplicationDbContext db,
    ISender sender,
    IBackgroundJobs jobs,
    IOptions<ProvisioningOptions> options,
    TimeProvider time)
    : ICommandHandler<ProvisionDueAccountsCommand, int>
{
    /// <summary>A bound on one run; whatever is still due after it is left to the next run and the reconciler.</summary>
    internal const int MaxRounds = 1000;

    public async ValueTask<int> Handle(ProvisionDueAccountsCommand command, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // With batching on, fewer than the threshold due means single creates; without it, every account is single.
        var look = settings.BatchEnabled ? settings.BatchThreshold : settings.BatchSize;
        var tried = new HashSet<long>();
        var attempted = 0;
        for (var round = 0; round < MaxRounds; round++)
        {
            var now = time.GetUtcNow();
            var due = await db.AlloyAccounts.AsNoTracking()
                .Where(a => (a.State == ProvisioningState.Pending || a.State == ProvisioningState.Provisioning) && a.NextAttemptAt <= now)
                .OrderBy(a => a.NextAttemptAt)
                .Select(a => a.Id)
                .Take(look)
                .ToListAsync(cancellationToken);

            // Nothing due; or the oldest is one this run already attempted and is due again (its lease went to another
            // worker that has since deferred it, say): its own schedule and the reconciler take it from here.
            if (due.Count == 0 || !tried.Add(due[0]))
            {
                break;
            }

            // Too few for a batch: each takes the single path in a job of its own, side by side, and this run ends (it
            // would otherwise hold its slot while one create after the other waits on Alloy). Every attempt takes its
            // lease first, so an account another worker took meanwhile is left alone. Accounts due after the query above
            // were asked for by requests made after this run started: those queued the next run.
            if (!settings.BatchEnabled || due.Count < settings.BatchThreshold)
            {
                foreach (var accountId in due)
                {
                    jobs.EnqueueProvisioningAttempt(accountId);
                }

                break;
            }

            // Enough for a batch: the oldest's attempt takes the accounts due with it as one batch.
            var outcome = await sender.Send(new ProvisionAlloyUserCommand(due[0]), cancellationToken);
            db.ClearChangeTracker();
            if (outcome.IsSuccess && outcome.Value.Attempted)
            {
                attempted++;
            }
        }

        return attempted;
    }
}
