using FluentValidation;
using IntegrationHub.Application.Audit;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Application.Common.Validation;
using IntegrationHub.Application.Provisioning;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Tenants;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.Tenants.SignUpTenant;

/// <summary>The SaaS backend tells the hub a tenant signed up.</summary>
public sealed record SignUpTenantCommand(string? TenantId, string? Name) : ITransactionalCommand<Result<SignUpTenantResponse>>;

/// <param name="Created">False when the same signup was seen before (idempotent repeat).</param>
public sealed record SignUpTenantResponse(TenantResponse Tenant, bool Created);

internal sealed class SignUpTenantCommandValidator : AbstractValidator<SignUpTenantCommand>
{
    public SignUpTenantCommandValidator()
    {
        RuleFor(c => c.TenantId).ValidTenantId();
        RuleFor(c => c.Name)
            .NotEmpty().WithMessage("A name is required.")
            .Must(n => n is null || n.Trim().Length > 0).WithMessage("A name is required.")
            .MaximumLength(Tenant.MaxNameLength).WithMessage($"A name is at most {Tenant.MaxNameLength} characters.");
    }
}

/// <summary>Writes a new signup's rows in the unit of work's transaction, without the change tracker.</summary>
public interface ISignupRows
{
    /// <summary>
    /// Inserts the tenant (only if its id is free), its Alloy account and the audit entry, and returns the account's id;
    /// null, with nothing written, when a tenant with that id exists. The rows are not tracked.
    /// </summary>
    Task<long?> TryInsertAsync(Tenant tenant, AlloyAccount account, AuditEntry entry, CancellationToken cancellationToken);
}

internal sealed class SignUpTenantCommandHandler(
    IApplicationDbContext db,
    ISignupRows rows,
    IBackgroundJobs jobs,
    EnvironmentAccounts accounts,
    AuditTrail audit,
    IOptionsMonitor<HubAlloyOptions> alloy,
    TimeProvider time) : ICommandHandler<SignUpTenantCommand, Result<SignUpTenantResponse>>
{
    public async ValueTask<Result<SignUpTenantResponse>> Handle(SignUpTenantCommand command, CancellationToken cancellationToken)
    {
        var tenantId = Domain.Tenants.TenantId.From(command.TenantId!);
        var name = command.Name!.Trim();
        var options = alloy.CurrentValue;

        // Insert first: the tenant id's unique key answers "is it a repeat?", so a new signup (the common case) reads nothing.
        var now = time.GetUtcNow();
        var tenant = Tenant.Create(tenantId, name, now);
        var account = AlloyAccount.Create(tenantId, options.Environment, options.UsernamePrefix, now);
        var entry = audit.Entry(AuditAction.TenantSignedUp, tenantId, $"name={name} environment={options.Environment}");
        if (await rows.TryInsertAsync(tenant, account, entry, cancellationToken) is not { } accountId)
        {
            // Signed up before (or by a concurrent signup that committed first): answer as a repeat of it.
            var existing = await FindAsync(tenantId, cancellationToken)
                ?? throw new InvalidOperationException($"The signup of {tenantId.Value} was refused as a repeat, but no such tenant exists.");
            return await RepeatAsync(existing, name, options, cancellationToken);
        }

        // The account row is the record of intent: the job is asked for after the commit, and the reconciler finds the
        // account if the process dies before that.
        jobs.EnqueueProvisioning(accountId);
        return new SignUpTenantResponse(TenantResponse.From(tenant, account), Created: true);
    }

    private Task<Tenant?> FindAsync(TenantId tenantId, CancellationToken cancellationToken) =>
        db.Tenants.FirstOrDefaultAsync(t => t.TenantId == tenantId, cancellationToken);

    private async Task<Result<SignUpTenantResponse>> RepeatAsync(
        Tenant tenant, string name, HubAlloyOptions options, CancellationToken cancellationToken)
    {
        if (tenant.IsDeleted)
        {
            return AlloyAccountErrors.Offboarded(tenant.TenantId);
        }

        if (!tenant.IsSameSignup(name))
        {
            return TenantErrors.Conflict(tenant.TenantId.Value);
        }

        // Missing when the hub was switched to another Alloy environment since this tenant signed up.
        var account = await accounts.EnsureAsync(tenant.TenantId, options.Environment, options.UsernamePrefix, cancellationToken);
        return new SignUpTenantResponse(TenantResponse.From(tenant, account), Created: false);
    }
}
