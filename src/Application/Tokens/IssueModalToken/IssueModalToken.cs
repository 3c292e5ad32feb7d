using FluentValidation;
using IntegrationHub.Application.Audit;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Telemetry;
using IntegrationHub.Application.Common.Validation;
using IntegrationHub.Application.Provisioning;
using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Tenants;
using Mediator;

namespace IntegrationHub.Application.Tokens.IssueModalToken;

/// <summary>A tenant's frontend asks for a short-lived Alloy modal token.</summary>
public sealed record IssueModalTokenCommand(string TenantId) : ICommand<Result<ModalTokenResponse>>;

public sealed record ModalTokenResponse(string Token, DateTimeOffset ExpiresAt, string UserId);

internal sealed class IssueModalTokenCommandValidator : AbstractValidator<IssueModalTokenCommand>
{
    public IssueModalTokenCommandValidator() => RuleFor(c => c.TenantId).ValidTenantId();
}

internal sealed class IssueModalTokenCommandHandler(ProvisionedAccounts accounts, IModalTokenIssuer tokens, AuditTrail audit, HubMetrics metrics)
    : ICommandHandler<IssueModalTokenCommand, Result<ModalTokenResponse>>
{
    public async ValueTask<Result<ModalTokenResponse>> Handle(IssueModalTokenCommand command, CancellationToken cancellationToken)
    {
        var tenantId = TenantId.From(command.TenantId);
        var account = await accounts.RequireAsync(tenantId, cancellationToken);
        if (!account.IsSuccess)
        {
            return account.Error;
        }

        var userId = account.Value.UserId!;
        var token = await tokens.GetTokenAsync(account.Value.Environment, userId, cancellationToken);
        if (!token.IsSuccess)
        {
            return token.Error;
        }

        // Who got a token for which Alloy user, and until when: never the token itself.
        await audit.EnqueueAsync(AuditAction.TokenIssued, tenantId, $"userId={userId} expiresAt={token.Value.ExpiresAt:O}", cancellationToken);
        metrics.TokenIssued(account.Value.Environment.ToString());
        return new ModalTokenResponse(token.Value.Token, token.Value.ExpiresAt, userId);
    }
}
