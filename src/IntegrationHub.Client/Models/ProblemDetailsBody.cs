using System.Text.Json;
using System.Text.Json.Serialization;

namespace IntegrationHub.Client.Models;

/// <summary>An RFC 9457 problem as the hub writes it (<c>application/problem+json</c>).</summary>
public sealed class ProblemDetailsBody
{
    /// <summary>The problem type, <c>/problems/{slug}</c> (see <see cref="ProblemTypes"/>).</summary>
    public string? Type { get; init; }

    /// <summary>A short summary of the problem type.</summary>
    public string? Title { get; init; }

    /// <summary>The HTTP status.</summary>
    public int? Status { get; init; }

    /// <summary>What went wrong in this occurrence.</summary>
    public string? Detail { get; init; }

    /// <summary>The occurrence's URI, if any.</summary>
    public string? Instance { get; init; }

    /// <summary>For a validation problem: the messages per field.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    /// <summary>Every other member (such as <c>traceId</c> or <c>knownEvents</c>).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; init; }
}
