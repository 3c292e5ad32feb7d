using System.Text.Json.Serialization;

namespace IntegrationHub.AlloySandbox.Contracts;

/// <summary><c>POST /_sandbox/webhooks/errors</c>: which workflow failure to report; all but the user are optional.</summary>
internal sealed record EmitErrorWebhookRequest(
    string? UserId,
    string? WorkflowId,
    string? BlockName,
    string? BlockType,
    string? ExecutionId,
    string? Error,
    string? Url);

/// <summary>What the sandbox delivered and what the receiver answered.</summary>
internal sealed record EmitErrorWebhookResponse(
    int StatusCode,
    string Url,
    string ExecutionId,
    string WorkflowId,
    string? ResponseBody);

/// <summary>Alloy's error record, the body of the error webhook (docs/alloy-api.md, sections 5 and 7.1).</summary>
internal sealed record AlloyErrorRecord(
    [property: JsonPropertyName("_id")] string Id,
    string WorkflowId,
    string ExecutionId,
    string BlockId,
    string BlockType,
    string Error,
    string CreatedAt,
    string UpdatedAt);

/// <summary>
/// Alloy's Integration Installation Webhook body (docs/alloy-api.md), sent when a user completes an installation:
/// no installation id, no timestamp, no event id.
/// </summary>
internal sealed record AlloyInstallationWebhookBody(
    string UserId,
    IReadOnlyList<string> WorkflowIds,
    string IntegrationId,
    IReadOnlyDictionary<string, string> Credentials,
    bool Success);
