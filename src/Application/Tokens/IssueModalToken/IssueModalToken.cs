using System.Runtime.CompilerServices;
using FluentValidation;
using IntegrationHub.Application.Audit;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Application.Common.Telemetry;
using IntegrationHub.Application.Common.Validation;
using IntegrationHub.Application.Provisioning;
using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Tenants;
using Mediator;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.Tokens.IssueModalToken;

/// <summary>A tenant's frontend asks for a short-lived Alloy modal token.</summary>
public sealed record IssueModalTokenCommand(string TenantId) : ICommand<Result<ModalTokenResponse>>;

public sealed record ModalTokenResponse(string Token, DateTimeOffset ExpiresAt, string UserId);

internal sealed class IssueModalTokenCommandValidator : AbstractValidator<IssueModalTokenCommand>
{
    public IssueModalTokenCommandValidator() => RuleFor(c => c.TenantId).ValidTenantId();
}

/// <remarks>
/// The hit path (account remembered, token in the reuse window) resolves no scoped service beyond this handler:
/// <see cref="ProvisionedAccounts"/> (and the unit of work behind it) is built only when the account is not
/// remembered, and the audit detail of a reused token is the one built when it was first handed out.
/// </remarks>
internal sealed class IssueModalTokenCommandHandler(
    ProvisionedAccountCache remembered,
    Lazy<ProvisionedAccounts> accounts,
    IOptionsMonitor<HubAlloyOptions> alloy,
    IModalTokenIssuer tokens,
    AuditTrail audit,
    HubMetrics metrics)
    : ICommandHandler<IssueModalTokenCommand, Result<ModalTokenResponse>>
{
    // One entry per token handed out recently: a reused token's audit detail is not formatted again. Weak keys, so
    // an expired token's entry goes with the token.
    private static readonly ConditionalWeakTable<ModalToken, string> Details = new();

    public async ValueTask<Result<ModalTokenResponse>> Handle(IssueModalTokenCommand command, CancellationToken cancellationToken)
    {
        var tenantId = TenantId.From(command.TenantId);
        if (!remembered.TryGet(tenantId, alloy.CurrentValue.Environment, out var account))
        {
            var required = await accounts.Value.RequireAsync(tenantId, cancellationToken);
            if (!required.IsSuccess)
            {
                return required.Error;
            }

            account = required.Value;
        }

        var userId = account.UserId!;
        var token = await tokens.GetTokenAsync(account.Environment, userId, cancellationToken);
        if (!token.IsSuccess)
        {
            return token.Error;
        }

        // Who got a token for which Alloy user, and until when: never the token itself. Every answer is audited.
        var issued = token.Value;
        if (!Details.TryGetValue(issued, out var detail))
        {
            detail = $"userId={userId} expiresAt={issued.ExpiresAt:O}";
            Details.AddOrUpdate(issued, detail);
        }

        await audit.EnqueueAsync(AuditAction.TokenIssued, tenantId, detail, cancellationToken);
        metrics.TokenIssued(account.Environment.ToString());
        return new ModalTokenResponse(token.Value.Token, token.Value.ExpiresAt, userId);
    }
}
