using FluentValidation;
using IntegrationHub.Application.Common.Models;
using IntegrationHub.Domain.Common;
using Mediator;

namespace IntegrationHub.Application.Common.Behaviours;

/// <summary>The only place FluentValidation runs: an invalid request becomes a validation error result.</summary>
public sealed class ValidationBehaviour<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    private readonly IValidator<TMessage>[] _validators = validators.ToArray();

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (_validators.Length == 0)
        {
            return await next(message, cancellationToken);
        }

        // The common case (one validator, a valid request) allocates no list of failures.
        var context = new ValidationContext<TMessage>(message);
        List<FluentValidation.Results.ValidationFailure>? failures = null;
        foreach (var validator in _validators)
        {
            var result = await validator.ValidateAsync(context, cancellationToken);
            if (!result.IsValid)
            {
                (failures ??= []).AddRange(result.Errors);
            }
        }

        if (failures is null)
        {
            return await next(message, cancellationToken);
        }

        var fields = failures
            .GroupBy(f => ToCamelCase(f.PropertyName), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        var failure = ResultFactory<TResponse>.Failure
            ?? throw new InvalidOperationException($"{typeof(TMessage).Name} has a validator but does not return a Result.");
        return failure(Error.Validation(fields));
    }

    private static string ToCamelCase(string name) =>
        string.IsNullOrEmpty(name) || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
