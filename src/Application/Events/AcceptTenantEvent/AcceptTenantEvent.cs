using System.Text.Json;
using FluentValidation;
using IntegrationHub.Application.Common.Validation;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Tenants;
using Mediator;

namespace IntegrationHub.Application.Events.AcceptTenantEvent;

/// <summary>The SaaS backend sends one of its application events for one tenant's Alloy workflows.</summary>
/// <param name="Data">A JSON object (what Alloy's workflows receive as the event's payload).</param>
/// <param name="IdempotencyKey">The <c>Idempotency-Key</c> header: the same key with the same body answers the same event.</param>
public sealed record AcceptTenantEventCommand(string TenantId, string? Event, JsonElement? Data, string? IdempotencyKey)
    : ICommand<Result<AcceptedEvent>>;

internal sealed class AcceptTenantEventCommandValidator : AbstractValidator<AcceptTenantEventCommand>
{
    public AcceptTenantEventCommandValidator()
    {
        RuleFor(c => c.TenantId).ValidTenantId();
        RuleFor(c => c.Event).ValidEventName();
        RuleFor(c => c.Data).ValidEventData();
        RuleFor(c => c.IdempotencyKey).ValidIdempotencyKey();
    }
}

internal sealed class AcceptTenantEventCommandHandler(EventIntake intake) : ICommandHandler<AcceptTenantEventCommand, Result<AcceptedEvent>>
{
    public async ValueTask<Result<AcceptedEvent>> Handle(AcceptTenantEventCommand command, CancellationToken cancellationToken) =>
        await intake.AcceptAsync(TenantId.From(command.TenantId), command.Event!, command.Data!.Value, command.IdempotencyKey, cancellationToken);
}
