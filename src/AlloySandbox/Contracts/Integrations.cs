using System.Text.Json.Serialization;

namespace IntegrationHub.AlloySandbox.Contracts;

internal sealed record ConnectorResponse(string Name, string Id, string Connector, string Icon, string Subtitle);

internal sealed record IntegrationWorkflowResponse(
    string WorkflowId,
    string Name,
    bool Installed,
    bool Active,
    int Version,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? InstalledVersion,
    IReadOnlyList<ConnectorResponse> Connectors);

internal sealed record IntegrationResponse(
    string IntegrationId,
    string App,
    string PrimaryConnector,
    string Description,
    string Icon,
    IReadOnlyList<string> Credentials,
    bool Installed,
    IReadOnlyList<IntegrationWorkflowResponse> Workflows);

internal sealed record WorkflowResponse(
    string WorkflowId,
    string IntegrationId,
    string Name,
    string CreatedAt,
    string UpdatedAt,
    bool Installed,
    bool Active,
    int Version,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? InstalledVersion,
    IReadOnlyList<ConnectorResponse> Connectors);

internal sealed record WorkflowActivationRequest(string? UserId, string? WorkflowId, string? WorkflowName);
