using System.Text.Json;
using FluentValidation;
using IntegrationHub.Domain.Events;

namespace IntegrationHub.Application.Events;

/// <summary>The rules an event's fields follow, for the single and the batch intake alike.</summary>
public static class EventValidation
{
    public static IRuleBuilderOptions<T, string?> ValidEventName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().WithMessage("'event' (the Alloy custom event's name) is required.")
            .MaximumLength(TenantEvent.MaxNameLength).WithMessage($"'event' is at most {TenantEvent.MaxNameLength} characters.");

    public static IRuleBuilderOptions<T, JsonElement?> ValidEventData<T>(this IRuleBuilder<T, JsonElement?> rule) =>
        rule.NotNull().WithMessage("'data' (a JSON object) is required.")
            .Must(d => d is null || d.Value.ValueKind == JsonValueKind.Object).WithMessage("'data' must be a JSON object.");

    /// <summary>Optional; 1 to 255 printable ASCII characters.</summary>
    public static IRuleBuilderOptions<T, string?> ValidIdempotencyKey<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(k => k is null || (k.Length is > 0 and <= TenantEvent.MaxIdempotencyKeyLength && k.All(c => c is >= ' ' and <= '~')))
            .WithMessage($"An idempotency key is 1 to {TenantEvent.MaxIdempotencyKeyLength} printable ASCII characters.");

    public static IRuleBuilderOptions<T, string?> ValidEventId<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().WithMessage("An event id is required.")
            .Must(id => id is null || (id.Length <= TenantEvent.MaxEventIdLength && id.StartsWith(TenantEvent.IdPrefix, StringComparison.Ordinal)
                                       && id.Skip(TenantEvent.IdPrefix.Length).All(char.IsAsciiLetterOrDigit)))
            .WithMessage($"An event id is '{TenantEvent.IdPrefix}' followed by letters and digits, as the intake answered it.");
}
