using FluentValidation;
using IntegrationHub.Application.Common.Models;
using IntegrationHub.Domain.Tenants;

namespace IntegrationHub.Application.Common.Validation;

public static class ValidationRules
{
    public const int MaxPageSize = 500;

    public static IRuleBuilderOptions<T, string?> ValidTenantId<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().WithMessage("A tenant id is required.")
            .Must(TenantId.IsValid)
            .WithMessage("A tenant id is 1 to 64 characters: letters, digits, '.', '_' and '-', starting with a letter or digit.");

    public static IRuleBuilderOptions<T, int?> ValidPageSize<T>(this IRuleBuilder<T, int?> rule) =>
        rule.InclusiveBetween(1, MaxPageSize).WithMessage($"limit must be between 1 and {MaxPageSize}.");

    public static IRuleBuilderOptions<T, string?> ValidCursor<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(c => c is null || Cursor.TryDecode(c, out _)).WithMessage("cursor is not a cursor this API returned.");
}
