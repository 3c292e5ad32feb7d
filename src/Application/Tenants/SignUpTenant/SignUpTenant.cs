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

internal sealed class SignUpTenantCommandHandler(
    IApplicationDbContext db,
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

        var existing = await FindAsync(tenantId, cancellationToken);
        if (existing is not null)
        {
            return await RepeatAsync(existing, name, options, cancellationToken);
        }

        var now = time.GetUtcNow();
        var tenant = Tenant.Create(tenantId, name, now);
        var account = AlloyAccount.Create(tenantId, options.Environment, options.UsernamePrefix, now);
        db.Tenants.Add(tenant);
        db.AlloyAccounts.Add(account);
        audit.Add(AuditAction.TenantSignedUp, tenantId, $"name={name} environment={options.Environment}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A concurrent signup of the same tenant won the unique index: answer as a repeat of it.
            db.ClearChangeTracker();
            existing = await FindAsync(tenantId, cancellationToken);
            if (existing is null)
            {
                throw;
            }

            return await RepeatAsync(existing, name, options, cancellationToken);
        }

        jobs.EnqueueProvisioning(account.Id);
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
