using System.Diagnostics.CodeAnalysis;

namespace IntegrationHub.AlloySandbox.Http;

/// <summary>A value or an <see cref="ApiError"/>: expected failures are values, not exceptions.</summary>
internal readonly struct Result<T>
{
    private Result(T? value, ApiError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public ApiError? Error { get; }

    [MemberNotNullWhen(false, nameof(Error))]
    [MemberNotNullWhen(true, nameof(Value))]
    public bool IsSuccess => Error is null;

    public static Result<T> Success(T value) => new(value, null);

    public static Result<T> Failure(ApiError error) => new(default, error);

    public static implicit operator Result<T>(T value) => Success(value);

    public static implicit operator Result<T>(ApiError error) => Failure(error);
}
