using System.Globalization;
using IntegrationHub.Domain.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.WebApi.Errors;

/// <summary>The one mapping from expected failures to HTTP.</summary>
public static class ResultExtensions
{
    public static Results<Ok<T>, ProblemHttpResult> ToHttpResult<T>(this Result<T> result, HttpContext http) =>
        result.IsSuccess ? TypedResults.Ok(result.Value) : result.Error.ToProblem(http);

    public static ProblemHttpResult ToProblem(this Error error, HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(http);
        var status = StatusOf(error);
        if (error.RetryAfter is { } retryAfter && status == StatusCodes.Status503ServiceUnavailable)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return TypedResults.Problem(ProblemOf(error));
    }

    /// <summary>The HTTP status an error answers with.</summary>
    public static int StatusOf(Error error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Type switch
        {
            ErrorType.Validation => StatusCodes.Status400BadRequest,
            ErrorType.NotFound => StatusCodes.Status404NotFound,
            ErrorType.Conflict => StatusCodes.Status409Conflict,
            ErrorType.Forbidden => StatusCodes.Status403Forbidden,
            ErrorType.Unprocessable => StatusCodes.Status422UnprocessableEntity,
            ErrorType.TooLarge => StatusCodes.Status413PayloadTooLarge,
            ErrorType.Pending or ErrorType.Unavailable or ErrorType.UpstreamKeyRejected => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status502BadGateway,
        };
    }

    /// <summary>The problem details of an error (also for one item of a batch answer).</summary>
    public static ProblemDetails ProblemOf(Error error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var problem = new ProblemDetails
        {
            Status = StatusOf(error),
            Title = ProblemTypes.TitleFor(error.Code),
            Detail = error.Description,
            Type = ProblemTypes.Uri(error.Code),
        };
        if (error.Fields is { } fields)
        {
            problem.Extensions["errors"] = fields;
        }

        foreach (var (name, value) in error.Extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[name] = value;
        }

        return problem;
    }
}
