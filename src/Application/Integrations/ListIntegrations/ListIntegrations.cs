using FluentValidation;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Validation;
using IntegrationHub.Application.Provisioning;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Tenants;
using Mediator;

namespace IntegrationHub.Application.Integrations.ListIntegrations;

/// <summary>The integrations the tenant may install, with whether it installed each.</summary>
public sealed record ListIntegrationsQuery(string TenantId) : IQuery<Result<IntegrationsResponse>>;

public sealed record IntegrationsResponse(IReadOnlyList<IntegrationResponse> Items);

public sealed record IntegrationResponse(
    string IntegrationId,
    string Name,
    string? Description,
    string? Icon,
    bool Installed,
    IReadOnlyList<string> Credentials)
{
    public static IntegrationResponse From(AlloyIntegration i) =>
        new(i.IntegrationId, i.Name, i.Description, i.Icon, i.Installed, i.Credentials);
}

internal sealed class ListIntegrationsQueryValidator : AbstractValidator<ListIntegrationsQuery>
{
    public ListIntegrationsQueryValidator() => RuleFor(q => q.TenantId).ValidTenantId();
}

internal sealed class ListIntegrationsQueryHandler(ProvisionedAccounts accounts, UserIntegrationsCache userIntegrations)
    : IQueryHandler<ListIntegrationsQuery, Result<IntegrationsResponse>>
{
    public async ValueTask<Result<IntegrationsResponse>> Handle(ListIntegrationsQuery query, CancellationToken cancellationToken)
    {
        var account = await accounts.RequireAsync(TenantId.From(query.TenantId), cancellationToken);
        if (!account.IsSuccess)
        {
            return account.Error;
        }

        var integrations = await userIntegrations.ListAsync(account.Value.Environment, account.Value.UserId!, cancellationToken);
        return integrations.Map(list => new IntegrationsResponse(list.Select(IntegrationResponse.From).ToList()));
    }
}
