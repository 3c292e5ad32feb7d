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
        // Each item is checked on its own; the valid ones are stored together (one save), each still answered on its own.
        var results = new Result<AcceptedEvent>?[command.Events!.Count];
        var valid = new List<(int Index, (TenantId, string, JsonElement, string?) Item)>();
        for (var index = 0; index < command.Events.Count; index++)
        {
            var invalid = await ValidateAsync(command.Events[index], cancellationToken);
            if (invalid is not null)
            {
                results[index] = invalid;
            }
            else
            {
                var item = command.Events[index]!;
                valid.Add((index, (TenantId.From(item.TenantId!), item.Event!, item.Data!.Value, item.IdempotencyKey)));
            }
        }

        var accepted = await intake.AcceptManyAsync(valid.Select(v => v.Item).ToList(), cancellationToken);
        for (var i = 0; i < valid.Count; i++)
        {
            results[valid[i].Index] = accepted[i];
        }

        return results.Select((result, index) => new EventBatchOutcome(index, result!)).ToList();
    }

    private static async Task<Error?> ValidateAsync(EventBatchItem? item, CancellationToken cancellationToken)
    {
        if (item is null)
        {
            return Error.Validation("event", "An item must be an object {tenantId, event, data}.");
        }

        var validation = await ItemValidator.ValidateAsync(item, cancellationToken);
        return validation.IsValid
            ? null
            : Error.Validation(validation.Errors
                .GroupBy(e => JsonNamingPolicy.CamelCase.ConvertName(e.PropertyName))
                .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray()));
    }
}
