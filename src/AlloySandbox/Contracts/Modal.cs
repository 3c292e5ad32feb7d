namespace IntegrationHub.AlloySandbox.Contracts;

/// <summary>What the sandbox's install modal sends when the user presses Connect (the sandbox's stand-in for Alloy's own modal backend).</summary>
internal sealed record ModalInstallRequest(string? IntegrationId, IReadOnlyList<string>? WorkflowIds, IReadOnlyList<CompletedBlockRequest?>? Data);

internal sealed record ModalInstallResponse(string InstallationId, IReadOnlyList<string> WorkflowIds);

/// <summary>What the sandbox's authenticate modal sends when the user connects an app.</summary>
internal sealed record ModalCredentialRequest(string? App);
