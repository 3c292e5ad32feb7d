namespace IntegrationHub.AlloySandbox.Contracts;

internal sealed record StatsResponse(
    IReadOnlyDictionary<string, int> UsersByEnvironment,
    IReadOnlyDictionary<string, long> Calls,
    ReceivedEventCounts ReceivedEvents);

internal sealed record SandboxUserResponse(string Environment, string UserId, string Username, string? FullName);

internal sealed record HealthResponse(string Status);

internal sealed record HelloResponse(string Name, string Description, IReadOnlyList<string> Environments, string Control);
