using Mediator;

namespace IntegrationHub.Application.Provisioning.ProvisionAlloyUserBatch;

/// <summary>
/// One batch attempt for the given accounts (those still due): one Alloy batch create, then each account provisioned,
/// failed or rescheduled exactly as a single attempt would (<see cref="BatchProvisioning"/>). Safe to run any number of
/// times, concurrently with single attempts, after any crash. Returns how many accounts it leased.
/// </summary>
public sealed record ProvisionAlloyUserBatchCommand(IReadOnlyList<long> AccountIds) : ICommand<int>;

internal sealed class ProvisionAlloyUserBatchCommandHandler(BatchProvisioning batches) : ICommandHandler<ProvisionAlloyUserBatchCommand, int>
{
    public async ValueTask<int> Handle(ProvisionAlloyUserBatchCommand command, CancellationToken cancellationToken) =>
        command.AccountIds.Count == 0 ? 0 : (await batches.ProvisionAsync(command.AccountIds, cancellationToken)).Count;
}
