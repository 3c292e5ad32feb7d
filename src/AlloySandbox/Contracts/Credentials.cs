using System.Text.Json;

namespace IntegrationHub.AlloySandbox.Contracts;

internal sealed record CredentialInput(string? Type, JsonElement? Data);

internal sealed record CreateCredentialRequest(string? UserId, CredentialInput? Credential);

internal sealed record CreateCredentialResponse(bool Success, string CredentialId);

internal sealed record CredentialResponse(string CredentialId, string Type, string Name, string CreatedAt, string UpdatedAt);
