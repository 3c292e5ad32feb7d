using FluentValidation;
using IntegrationHub.Application.Audit;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Application.Common.Validation;
using IntegrationHub.Application.Tenants;
using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Tenants;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.Provisioning.RetryProvisioning;

/// <summary>An admin's retry of a tenant whose provisioning failed: Failed → Pending, enqueued.</summary>
public sealed record RetryProvisioningCommand(string TenantId) : ITransactionalCommand<Result<TenantResponse>>;

internal sealed class RetryProvisioningCommandValidator : AbstractValidator<RetryProvisioningCommand>
{
    public RetryProvisioningCommandValidator() => RuleFor(c => c.TenantId).ValidTenantId();
}

internal sealed class RetryProvisioningCommandHandler(
    IApplicationDbContext db,
    IBackgroundJobs jobs,
    AuditTrail audit,
    IOptionsMonitor<HubAlloyOptions> alloy,
    TimeProvider time) : ICommandHandler<RetryProvisioningCommand, Result<TenantResponse>>
{
    public async ValueTask<Result<TenantResponse>> Handle(RetryProvisioningCommand command, CancellationToken cancellationToken)
    {
        var tenantId = TenantId.From(command.TenantId);
        var environment = alloy.CurrentValue.Environment;
        var tenant = await db.Tenants.FirstOrDefaultAsync(t => t.TenantId == tenantId, cancellationToken);
        var account = await db.AlloyAccounts.FirstOrDefaultAsync(
            a => a.TenantId == tenantId && a.Environment == environment, cancellationToken);
        if (tenant is null || account is null)
        {
            return TenantErrors.NotFound(command.TenantId);
        }

        var failedAfter = account.Attempts;
        var retried = account.Retry(time.GetUtcNow());
        if (!retried.IsSuccess)
        {
            return retried.Error;
        }

        audit.Add(AuditAction.ProvisioningRetried, tenantId, $"environment={environment} failed after {failedAfter} attempt(s): {account.LastError}");
        await db.SaveChangesAsync(cancellationToken);
        jobs.EnqueueProvisioning(account.Id);
        return TenantResponse.From(tenant, account);
    }
}
