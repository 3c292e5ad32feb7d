using FluentValidation;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Installations;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.Installations.ReceiveInstallationWebhook;

/// <summary>
/// Alloy told the hub that a user completed an installation (the Integration Installation Webhook). The HTTP edge has
/// already verified Alloy's signature over <see cref="Body"/> (and the source address). The delivery is stored first
/// and answered at once; a job resolves it through the account listing (<c>ResolveInstallationWebhookCommand</c>).
/// </summary>
public sealed record ReceiveInstallationWebhookCommand(string? Body) : ICommand<Result<ReceiveInstallationWebhookResponse>>;

/// <param name="Id">The stored delivery (see <c>GET /api/admin/installation-webhooks</c>).</param>
/// <param name="TenantId">The tenant whose Alloy user it names; null when no tenant has that user.</param>
/// <param name="Status">
/// <c>Pending</c> (resolution queued), <c>Unmatched</c> (no tenant has the user) or <c>Unsuccessful</c> (Alloy reported
/// a failed installation; nothing to resolve).
/// </param>
public sealed record ReceiveInstallationWebhookResponse(long Id, string? TenantId, InstallationWebhookStatus Status);

internal sealed class ReceiveInstallationWebhookCommandValidator : AbstractValidator<ReceiveInstallationWebhookCommand>
{
    public ReceiveInstallationWebhookCommandValidator()
    {
        RuleFor(c => AlloyInstallationWebhookBody.TryRead(c.Body))
            .Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("The body must be a JSON object (Alloy's installation webhook).")
            .OverridePropertyName("body")
            .DependentRules(() =>
            {
                RuleFor(c => AlloyInstallationWebhookBody.TryRead(c.Body)!.UserId)
                    .NotEmpty().WithMessage("userId is required (a string).")
                    .MaximumLength(InstallationWebhook.MaxAlloyIdLength).WithMessage($"userId is at most {InstallationWebhook.MaxAlloyIdLength} characters.")
                    .OverridePropertyName("userId");
                RuleFor(c => AlloyInstallationWebhookBody.TryRead(c.Body)!.IntegrationId)
                    .NotEmpty().WithMessage("integrationId is required (a string).")
                    .MaximumLength(InstallationWebhook.MaxAlloyIdLength).WithMessage($"integrationId is at most {InstallationWebhook.MaxAlloyIdLength} characters.")
                    .OverridePropertyName("integrationId");
                RuleFor(c => AlloyInstallationWebhookBody.TryRead(c.Body)!.Success)
                    .NotNull().WithMessage("success is required (true or false).")
                    .OverridePropertyName("success");
            });
    }
}

internal sealed class ReceiveInstallationWebhookCommandHandler(
    IApplicationDbContext db,
    IBackgroundJobs jobs,
    IOptionsMonitor<HubAlloyOptions> alloy,
    TimeProvider time,
    ILogger<ReceiveInstallationWebhookCommandHandler> logger)
    : ICommandHandler<ReceiveInstallationWebhookCommand, Result<ReceiveInstallationWebhookResponse>>
{
    public async ValueTask<Result<ReceiveInstallationWebhookResponse>> Handle(
        ReceiveInstallationWebhookCommand command, CancellationToken cancellationToken)
    {
        var body = AlloyInstallationWebhookBody.TryRead(command.Body)!;
        var environment = alloy.CurrentValue.Environment;
        var userId = body.UserId!;
        var account = await db.AlloyAccounts.AsNoTracking()
            .Where(a => a.Environment == environment && a.UserId == userId)
            .OrderBy(a => a.Id)
            .Select(a => new { a.TenantId })
            .FirstOrDefaultAsync(cancellationToken);
        var webhook = InstallationWebhook.Receive(
            environment, userId, body.IntegrationId!, body.Success!.Value, account?.TenantId, command.Body!, time.GetUtcNow());
        db.InstallationWebhooks.Add(webhook);
        await db.SaveChangesAsync(cancellationToken);

        // The row is the record of intent: if this job is lost, the reconciler enqueues the delivery again.
        if (webhook.Status == InstallationWebhookStatus.Pending)
        {
            jobs.EnqueueInstallationWebhook(webhook.Id);
        }

        // Ids only: the body names credentials.
        logger.LogInformation(
            "Installation webhook {WebhookId} for Alloy user {AlloyUserId}, integration {IntegrationId}: {Status} (tenant {TenantId})",
            webhook.Id, webhook.AlloyUserId, webhook.IntegrationId, webhook.Status, webhook.TenantId?.Value ?? "(none)");
        return new ReceiveInstallationWebhookResponse(webhook.Id, webhook.TenantId?.Value, webhook.Status);
    }
}
