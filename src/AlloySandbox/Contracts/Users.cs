using System.Text.Json;

namespace IntegrationHub.AlloySandbox.Contracts;

internal sealed record UserInput(string? Username, string? FullName);

internal sealed record BatchUsersRequest(IReadOnlyList<JsonElement>? Users);

internal sealed record UserIdResponse(string UserId);

/// <summary>A user as U3/U4 answer it (bare) and as U2 lists it.</summary>
internal sealed record UserResponse(string UserId, string? FullName, string Username);

internal sealed record BatchUsersResponse(string Message, IReadOnlyList<JsonElement> InvalidUsers);

internal sealed record TokenResponse(string Token);
