using System.Text.Json;
using IntegrationHub.Infrastructure.Persistence;
using Microsoft.AspNetCore.Diagnostics;

namespace IntegrationHub.WebApi.Errors;

/// <summary>
/// The one handler for the unexpected. Malformed requests (bad JSON, wrong types, wrong content type) become 4xx
/// problems; a database that cannot serve right now becomes 503, recognised by exception type and provider error code
/// (<see cref="DatabaseFailures"/>), so a timeout of anything else is not blamed on the database; anything else is a
/// 500 without exception text.
/// </summary>
public sealed class HubExceptionHandler(IProblemDetailsService problems, ILogger<HubExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        int status;
        string slug;
        string detail;
        Dictionary<string, object?>? extensions = null;
        switch (exception)
        {
            case BadHttpRequestException bad:
                status = bad.StatusCode;
                slug = ProblemTypes.SlugForStatus(status);
                detail = DescribeBadRequest(bad);
                if (status == StatusCodes.Status400BadRequest)
                {
                    extensions = new() { ["errors"] = new Dictionary<string, string[]> { [FieldOf(bad)] = [detail] } };
                }

                break;
            case not null when DatabaseFailures.IsUnavailable(exception):
                logger.LogError(exception, "Database failure while handling {Path}", httpContext.Request.Path);
                status = StatusCodes.Status503ServiceUnavailable;
                slug = "unavailable";
                detail = "The hub's database is unavailable. Retry later.";
                httpContext.Response.Headers.RetryAfter = "5";
                break;
            case OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested:
                // The client went away; nobody reads the answer.
                status = 499;
                slug = "internal";
                detail = "The client closed the request.";
                break;
            default:
                logger.LogError(exception, "Unhandled exception while handling {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
                status = StatusCodes.Status500InternalServerError;
                slug = "internal";
                detail = "An unexpected error occurred. It was logged with this traceId.";
                break;
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = status,
                Type = ProblemTypes.Uri(slug),
                Title = ProblemTypes.TitleFor(slug),
                Detail = detail,
                Extensions = extensions ?? [],
            },
        });
    }

    private static string DescribeBadRequest(BadHttpRequestException bad) => bad.InnerException switch
    {
        JsonException json when json.Path is { Length: > 1 } path =>
            $"The JSON body is invalid at '{path}': a value has the wrong type or is malformed.",
        JsonException => "The request body is not valid JSON.",
        _ when bad.Message.Contains("body was not provided", StringComparison.OrdinalIgnoreCase) => "A JSON request body is required.",
        _ when bad.StatusCode == StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json.",
        _ when bad.Message.StartsWith("Failed to bind parameter", StringComparison.Ordinal) => $"'{FieldOf(bad)}' has a value of the wrong type or format.",
        _ => "The request is malformed.",
    };

    private static string FieldOf(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException { Path: { Length: > 2 } path })
        {
            return path.TrimStart('$', '.');
        }

        // "Failed to bind parameter "int? limit" from "abc"."
        var message = bad.Message;
        var start = message.IndexOf('"', StringComparison.Ordinal);
        var end = start >= 0 ? message.IndexOf('"', start + 1) : -1;
        if (start >= 0 && end > start)
        {
            var parameter = message[(start + 1)..end];
            var space = parameter.LastIndexOf(' ');
            return space >= 0 ? parameter[(space + 1)..] : parameter;
        }

        return "body";
    }
}
