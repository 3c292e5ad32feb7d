using System.Globalization;
using IntegrationHub.AlloySandbox.Contracts;

namespace IntegrationHub.AlloySandbox.Http;

/// <summary>Writes answers with the sandbox's own JSON options.</summary>
internal static class SandboxResults
{
    public static IResult Ok<T>(T value) => Results.Json(value, SandboxJson.TypeInfo<T>());

    public static IResult From<T>(Result<T> result) => result.IsSuccess ? Ok(result.Value) : Error(result.Error);

    public static IResult From<T>(Result<T> result, Func<T, IResult> onSuccess) => result.IsSuccess ? onSuccess(result.Value) : Error(result.Error);

    public static IResult Error(ApiError error) => new ErrorResult(error);

    /// <summary>A <c>{"message"}</c> body with the error's status and, for 429, <c>Retry-After</c>.</summary>
    private sealed class ErrorResult(ApiError error) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => error.Status;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (error.RetryAfterSeconds is { } seconds)
            {
                httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            return Results.Json(new MessageResponse(error.Message), SandboxJson.TypeInfo<MessageResponse>(), statusCode: error.Status)
                .ExecuteAsync(httpContext);
        }
    }
}
