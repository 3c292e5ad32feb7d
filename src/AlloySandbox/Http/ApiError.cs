using System.Globalization;

namespace IntegrationHub.AlloySandbox.Http;

/// <summary>An error answered the way Alloy does: a status and a <c>{"message": ...}</c> body.</summary>
internal sealed record ApiError(int Status, string Message)
{
    /// <summary>Seconds for a <c>Retry-After</c> header, when the error carries one.</summary>
    public int? RetryAfterSeconds { get; init; }

    public static ApiError Unauthorized { get; } = new(StatusCodes.Status401Unauthorized, "Unauthorized");

    public static ApiError NotFound(string entity) => new(StatusCodes.Status404NotFound, $"{entity} not found");

    public static ApiError Required(string field) => new(StatusCodes.Status400BadRequest, $"{field} is required");

    public static ApiError BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);

    public static ApiError TooManyRequests(int retryAfterSeconds) =>
        new(StatusCodes.Status429TooManyRequests, "Too many requests") { RetryAfterSeconds = retryAfterSeconds };

    public static string DefaultMessage(int status) => status switch
    {
        400 => "Bad request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not found",
        408 => "Request timeout",
        409 => "Conflict",
        422 => "Unprocessable entity",
        429 => "Too many requests",
        500 => "Internal server error",
        502 => "Bad gateway",
        503 => "Service unavailable",
        504 => "Gateway timeout",
        _ => string.Create(CultureInfo.InvariantCulture, $"Request failed with status {status}"),
    };
}
