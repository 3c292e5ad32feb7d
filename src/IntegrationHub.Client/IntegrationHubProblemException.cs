using System.Net;
using System.Text.Json;
using IntegrationHub.Client.Models;

namespace IntegrationHub.Client;

/// <summary>
/// The hub refused a request: its <c>application/problem+json</c> answer (or, for an answer without one, the status
/// alone). Every method of <see cref="IIntegrationHubClient"/> throws it for a non-success status; other exceptions
/// mean the hub could not be reached (<see cref="HttpRequestException"/>, timeouts) or a bug.
/// </summary>
public sealed class IntegrationHubProblemException : Exception
{
    private const string ProblemPrefix = "/problems/";

    /// <summary>Creates the exception from a problem answer.</summary>
    /// <param name="statusCode">The answer's HTTP status.</param>
    /// <param name="problem">The problem body; null when the answer had none.</param>
    /// <param name="retryAfter">The answer's <c>Retry-After</c>, if any.</param>
    public IntegrationHubProblemException(HttpStatusCode statusCode, ProblemDetailsBody? problem, TimeSpan? retryAfter)
        : base(MessageOf(statusCode, problem))
    {
        StatusCode = statusCode;
        Problem = problem ?? new ProblemDetailsBody { Status = (int)statusCode };
        RetryAfter = retryAfter;
    }

    /// <summary>Creates the exception with a message only (prefer the other constructor).</summary>
    /// <param name="message">The message.</param>
    public IntegrationHubProblemException(string message)
        : this(message, null)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception (prefer the other constructor).</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public IntegrationHubProblemException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Problem = new ProblemDetailsBody();
    }

    /// <summary>Creates the exception without details (prefer the other constructors).</summary>
    public IntegrationHubProblemException()
        : this("The IntegrationHub refused the request.")
    {
    }

    /// <summary>The answer's HTTP status.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The problem body as the hub sent it.</summary>
    public ProblemDetailsBody Problem { get; }

    /// <summary>The problem type, <c>/problems/{slug}</c>.</summary>
    public string? Type => Problem.Type;

    /// <summary>The type's slug (<c>provisioning-pending</c>, <c>validation</c>…): compare with <see cref="ProblemTypes"/>.</summary>
    public string? Slug => Type is { } type && type.StartsWith(ProblemPrefix, StringComparison.Ordinal) ? type[ProblemPrefix.Length..] : Type;

    /// <summary>The problem's title.</summary>
    public string? Title => Problem.Title;

    /// <summary>The problem's status (the HTTP status when the body has none).</summary>
    public int Status => Problem.Status ?? (int)StatusCode;

    /// <summary>What went wrong.</summary>
    public string? Detail => Problem.Detail;

    /// <summary>For a validation problem (400): the messages per field; empty otherwise.</summary>
    public IReadOnlyDictionary<string, string[]> Errors => Problem.Errors ?? new Dictionary<string, string[]>();

    /// <summary>How long to wait before trying again (the <c>Retry-After</c> header), when the hub said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Every other member of the problem (<c>traceId</c>, <c>knownEvents</c>…).</summary>
    public IReadOnlyDictionary<string, JsonElement> Extensions => Problem.Extensions ?? new Dictionary<string, JsonElement>();

    /// <summary>The hub's trace id of the request (quote it when reporting a problem).</summary>
    public string? TraceId => Extensions.TryGetValue("traceId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

    /// <summary>True for <c>provisioning-pending</c>: the tenant's Alloy user is still being created; retry after <see cref="RetryAfter"/>.</summary>
    public bool IsProvisioningPending => string.Equals(Slug, ProblemTypes.ProvisioningPending, StringComparison.Ordinal);

    /// <summary>For <c>unknown-event</c>: the events the tenant's Alloy user knows (the <c>knownEvents</c> extension); empty otherwise.</summary>
    public IReadOnlyList<string> KnownEvents =>
        Extensions.TryGetValue("knownEvents", out var known) && known.ValueKind == JsonValueKind.Array
            ? known.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];

    private static string MessageOf(HttpStatusCode status, ProblemDetailsBody? problem)
    {
        var title = problem?.Title ?? status.ToString();
        return problem?.Detail is { Length: > 0 } detail && !string.Equals(detail, title, StringComparison.Ordinal)
            ? $"IntegrationHub answered {(int)status} {title}: {detail}"
            : $"IntegrationHub answered {(int)status} {title}.";
    }
}
