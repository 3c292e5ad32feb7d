using FluentValidation;

namespace IntegrationHub.Application.UnitTests.Validation;

internal static class ValidatorAssertions
{
    /// <summary>The distinct property names the validator refuses, in order.</summary>
    public static List<string> FailedProperties<T>(this IValidator<T> validator, T instance) =>
        validator.Validate(instance).Errors.Select(e => e.PropertyName).Distinct(StringComparer.Ordinal).ToList();
}
