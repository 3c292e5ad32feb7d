using System.Text.Json;

namespace IntegrationHub.AlloySandbox.Contracts;

internal sealed record FormFieldResponse(string Name, string DisplayName, string Type, bool Required);

internal sealed record FormBlockResponse(string WorkflowId, string App, string BlockId, IReadOnlyList<FormFieldResponse> Fields);

internal sealed record InstallationResponse(
    string InstallationId,
    string IntegrationId,
    string UserId,
    IReadOnlyList<FormBlockResponse> FormData,
    IReadOnlyDictionary<string, string> CredentialIds,
    IReadOnlyList<string> WorkflowIds,
    string InstalledAt,
    bool Enabled);

/// <summary>H1. <c>credentialIds</c> is documented as an array; an object keyed by app is tolerated too.</summary>
internal sealed record StartInstallationRequest(string? UserId, string? IntegrationId, JsonElement? CredentialIds, IReadOnlyList<string>? WorkflowIds);

internal sealed record StartInstallationResponse(string InstallationId, IReadOnlyList<FormBlockResponse> Data);

internal sealed record CompleteInstallationRequest(string? InstallationId, IReadOnlyList<CompletedBlockRequest?>? Data);

internal sealed record CompletedBlockRequest(string? WorkflowId, string? BlockId, IReadOnlyList<JsonElement>? Fields);
