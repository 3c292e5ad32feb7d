using System.Globalization;
using IntegrationHub.Domain.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IntegrationHub.WebApi.Errors;

/// <summary>The one mapping from expected failures to HTTP.</summary>
public static class ResultExtensions
{
    public static Results<Ok<T>, ProblemHttpResult> ToHttpResult<T>(this Result<T> result, HttpContext http) =>
        result.IsSuccess ? TypedResults.Ok(result.Value) : result.Error.ToProblem(http);

    public static ProblemHttpResult ToProblem(this Error error, HttpContext http)
    {
        var status = error.Type switch
        {
            ErrorType.Validation => StatusCodes.Status400BadRequest,
            ErrorType.NotFound => StatusCodes.Status404NotFound,
            ErrorType.Conflict => StatusCodes.Status409Conflict,
            ErrorType.Forbidden => StatusCodes.Status403Forbidden,
            ErrorType.Pending or ErrorType.Unavailable or ErrorType.UpstreamKeyRejected => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status502BadGateway,
        };

        if (error.RetryAfter is { } retryAfter && status == StatusCodes.Status503ServiceUnavailable)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        var extensions = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (error.Fields is { } fields)
        {
            extensions["errors"] = fields;
        }

        return TypedResults.Problem(
            statusCode: status,
            title: ProblemTypes.TitleFor(error.Code),
            detail: error.Description,
            type: ProblemTypes.Uri(error.Code),
            extensions: extensions);
    }
}
