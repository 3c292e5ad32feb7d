using FluentValidation;
using IntegrationHub.Application.Audit;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Application.Common.Validation;
using IntegrationHub.Application.Events;
using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Tenants;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.Tenants.OffboardTenant;

/// <summary>
/// Offboards a tenant: tombstones it and hands every Alloy account it has to deprovisioning (delete the Alloy user
/// and its logs), which runs in the background and resumes after any crash. Idempotent.
/// </summary>
public sealed record OffboardTenantCommand(string TenantId) : ITransactionalCommand<Result<TenantResponse>>;

internal sealed class OffboardTenantCommandValidator : AbstractValidator<OffboardTenantCommand>
{
    public OffboardTenantCommandValidator() => RuleFor(c => c.TenantId).ValidTenantId();
}

internal sealed class OffboardTenantCommandHandler(
    IApplicationDbContext db,
    IBackgroundJobs jobs,
    AuditTrail audit,
    IOptionsMonitor<HubAlloyOptions> alloy,
    TenantEventDispatch events,
    TimeProvider time) : ICommandHandler<OffboardTenantCommand, Result<TenantResponse>>
{
    public async ValueTask<Result<TenantResponse>> Handle(OffboardTenantCommand command, CancellationToken cancellationToken)
    {
        var tenantId = TenantId.From(command.TenantId);
        var tenant = await db.Tenants.FirstOrDefaultAsync(t => t.TenantId == tenantId, cancellationToken);
        if (tenant is null)
        {
            return TenantErrors.NotFound(command.TenantId);
        }

        var now = time.GetUtcNow();
        var first = !tenant.IsDeleted;
        tenant.MarkDeleted(now);
        var accounts = await db.AlloyAccounts.Where(a => a.TenantId == tenantId).ToListAsync(cancellationToken);
        foreach (var account in accounts)
        {
            account.BeginDeprovisioning(now);
        }

        if (first)
        {
            audit.Add(AuditAction.TenantOffboarded, tenantId, $"{accounts.Count} Alloy account(s) to deprovision");
        }

        await db.SaveChangesAsync(cancellationToken);
        foreach (var account in accounts.Where(a => a.IsDeprovisioningDue(now)))
        {
            jobs.EnqueueDeprovisioning(account.Id);
        }

        // Events still on their way will not reach the tenant's workflows now: their job fails them (event.failed).
        events.Request(tenantId, jobs.EnqueueTenantEvents);

        var environment = alloy.CurrentValue.Environment;
        return TenantResponse.From(tenant, accounts.FirstOrDefault(a => a.Environment == environment));
    }
}
