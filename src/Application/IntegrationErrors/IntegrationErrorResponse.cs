using System.Text.Json;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.IntegrationErrors;

namespace IntegrationHub.Application.IntegrationErrors;

/// <summary>A stored Alloy workflow error; <see cref="Payload"/> is the body Alloy sent, as JSON.</summary>
public sealed record IntegrationErrorResponse(
    long Id,
    string ExecutionId,
    string? WorkflowId,
    string AlloyUserId,
    string? BlockName,
    string? BlockType,
    string? TenantId,
    AlloyEnvironment Environment,
    string? ErrorMessage,
    DateTimeOffset ReceivedAt,
    JsonElement Payload)
{
    public static IntegrationErrorResponse From(IntegrationError error) => new(
        error.Id,
        error.ExecutionId,
        error.WorkflowId,
        error.AlloyUserId,
        error.BlockName,
        error.BlockType,
        error.TenantId?.Value,
        error.Environment,
        error.ErrorMessage,
        error.ReceivedAt,
        ParsePayload(error.RawPayload));

    /// <summary>The stored body was checked to be JSON when it arrived; anything else is served as a JSON string.</summary>
    private static JsonElement ParsePayload(string raw)
    {
        try
        {
            return JsonElement.Parse(raw);
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(raw);
        }
    }
}
