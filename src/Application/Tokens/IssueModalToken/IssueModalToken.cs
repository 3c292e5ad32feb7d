using FluentValidation;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Validation;
using IntegrationHub.Application.Provisioning;
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

internal sealed class IssueModalTokenCommandHandler(ProvisionedAccounts accounts, IModalTokenIssuer tokens)
    : ICommandHandler<IssueModalTokenCommand, Result<ModalTokenResponse>>
{
    public async ValueTask<Result<ModalTokenResponse>> Handle(IssueModalTokenCommand command, CancellationToken cancellationToken)
    {
        var account = await accounts.RequireAsync(TenantId.From(command.TenantId), cancellationToken);
        if (!account.IsSuccess)
        {
            return account.Error;
        }

        var userId = account.Value.UserId!;
        var token = await tokens.GetTokenAsync(account.Value.Environment, userId, cancellationToken);
        return token.Map(t => new ModalTokenResponse(t.Token, t.ExpiresAt, userId));
    }
}
