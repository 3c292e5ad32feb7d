namespace IntegrationHub.Domain.Common;

/// <summary>What kind of failure an <see cref="Error"/> is; the HTTP edge maps each kind to one status.</summary>
public enum ErrorType
{
    Failure,
    Validation,
    NotFound,
    Conflict,
    Forbidden,
    /// <summary>The request is fine but the work it depends on has not finished yet (retry later).</summary>
    Pending,
    /// <summary>An upstream dependency (Alloy) failed or is unreachable.</summary>
    Unavailable,
    /// <summary>
    /// Alloy rejected the hub's own API key (wrong or revoked): the caller did nothing wrong and the hub cannot serve
    /// until an operator configures a valid key (503, not 401).
    /// </summary>
    UpstreamKeyRejected,
    /// <summary>The request is well-formed but cannot be processed as it stands (422).</summary>
    Unprocessable,
    /// <summary>The request's content is larger than the hub accepts (413).</summary>
    TooLarge,
}

/// <summary>An expected failure, returned as a value rather than thrown.</summary>
/// <param name="Code">A stable, machine-readable slug such as <c>tenant-not-found</c>.</param>
/// <param name="Description">A human-readable explanation, safe to show to the caller.</param>
/// <param name="Type">The kind of failure.</param>
public sealed record Error(string Code, string Description, ErrorType Type)
{
    /// <summary>Field name → messages, for validation failures.</summary>
    public IReadOnlyDictionary<string, string[]>? Fields { get; init; }

    /// <summary>Further machine-readable members of the answer (problem details extensions).</summary>
    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }

    /// <summary>How long the caller should wait before trying again, when known.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static Error Validation(IReadOnlyDictionary<string, string[]> fields) =>
        new("validation", "One or more fields are invalid.", ErrorType.Validation) { Fields = fields };

    public static Error Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });
}
