using System.Text.Json;
using FluentValidation;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Application.Common.Validation;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Tenants;
using Mediator;

namespace IntegrationHub.Application.Events.AcceptEventBatch;

/// <summary>Up to <see cref="EventsOptions.MaxBatchSize"/> events for any tenants in one request, each accepted or refused on its own.</summary>
public sealed record AcceptEventBatchCommand(IReadOnlyList<EventBatchItem?>? Events) : ICommand<Result<IReadOnlyList<EventBatchOutcome>>>;

/// <param name="IdempotencyKey">Like the single intake's <c>Idempotency-Key</c> header, per item.</param>
public sealed record EventBatchItem(string? TenantId, string? Event, JsonElement? Data, string? IdempotencyKey);

/// <summary>What became of the item at <see cref="Index"/>.</summary>
public sealed record EventBatchOutcome(int Index, Result<AcceptedEvent> Result);

internal sealed class AcceptEventBatchCommandValidator : AbstractValidator<AcceptEventBatchCommand>
{
    public AcceptEventBatchCommandValidator()
    {
        RuleFor(c => c.Events).NotNull().WithMessage("'events' (an array of {tenantId, event, data}) is required.")
            .Must(e => e is null || e.Count is > 0 and <= EventsOptions.MaxBatchSize)
            .WithMessage($"'events' holds 1 to {EventsOptions.MaxBatchSize} events.");
    }
}

/// <summary>One item's own rules; a bad item is refused alone, the others are still accepted.</summary>
internal sealed class EventBatchItemValidator : AbstractValidator<EventBatchItem>
{
    public EventBatchItemValidator()
    {
        RuleFor(i => i.TenantId).Cascade(CascadeMode.Stop).ValidTenantId();
        RuleFor(i => i.Event).ValidEventName();
        RuleFor(i => i.Data).ValidEventData();
        RuleFor(i => i.IdempotencyKey).ValidIdempotencyKey();
    }
}

internal sealed class AcceptEventBatchCommandHandler(EventIntake intake)
    : ICommandHandler<AcceptEventBatchCommand, Result<IReadOnlyList<EventBatchOutcome>>>
{
    private static readonly EventBatchItemValidator ItemValidator = new();

    public async ValueTask<Result<IReadOnlyList<EventBatchOutcome>>> Handle(AcceptEventBatchCommand command, CancellationToken cancellationToken)
    {
        var outcomes = new List<EventBatchOutcome>(command.Events!.Count);
        for (var index = 0; index < command.Events.Count; index++)
        {
            outcomes.Add(new EventBatchOutcome(index, await AcceptOneAsync(command.Events[index], cancellationToken)));
        }

        return outcomes;
    }

    private async Task<Result<AcceptedEvent>> AcceptOneAsync(EventBatchItem? item, CancellationToken cancellationToken)
    {
        if (item is null)
        {
            return Error.Validation("event", "An item must be an object {tenantId, event, data}.");
        }

        var validation = await ItemValidator.ValidateAsync(item, cancellationToken);
        if (!validation.IsValid)
        {
            return Error.Validation(validation.Errors
                .GroupBy(e => JsonNamingPolicy.CamelCase.ConvertName(e.PropertyName))
                .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray()));
        }

        return await intake.AcceptAsync(TenantId.From(item.TenantId!), item.Event!, item.Data!.Value, item.IdempotencyKey, cancellationToken);
    }
}
