using System.Text.Json;
using System.Text.Json.Serialization;

namespace IntegrationHub.Client.Models;

/// <summary>An RFC 9457 problem as the hub writes it (<c>application/problem+json</c>).</summary>
public sealed class ProblemDetailsBody
{
    /// <summary>The problem type, <c>/problems/{slug}</c> (see <see cref="ProblemTypes"/>).</summary>
    public string? Type { get; set; }

    /// <summary>A short summary of the problem type.</summary>
    public string? Title { get; set; }

    /// <summary>The HTTP status.</summary>
    public int? Status { get; set; }

    /// <summary>What went wrong in this occurrence.</summary>
    public string? Detail { get; set; }

    /// <summary>The occurrence's URI, if any.</summary>
    public string? Instance { get; set; }

    /// <summary>For a validation problem: the messages per field.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; set; }

    /// <summary>Every other member (such as <c>traceId</c> or <c>knownEvents</c>).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; set; }
}
