using System.Reflection;
using IntegrationHub.Domain.Common;

namespace IntegrationHub.Application.Common.Models;

/// <summary>Builds a failed <typeparamref name="TResponse"/> (a <see cref="Result"/> or <see cref="Result{T}"/>) for pipeline behaviours.</summary>
internal static class ResultFactory<TResponse>
{
    public static readonly Func<Error, TResponse>? Failure = Build();

    private static Func<Error, TResponse>? Build()
    {
        var type = typeof(TResponse);
        if (type == typeof(Result))
        {
            return error => (TResponse)(object)Result.Failure(error);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Result<>))
        {
            var method = type.GetMethod(nameof(Result.Failure), BindingFlags.Public | BindingFlags.Static, [typeof(Error)])!;
            return method.CreateDelegate<Func<Error, TResponse>>();
        }

        return null;
    }
}
