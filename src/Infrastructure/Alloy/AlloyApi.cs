using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;

namespace IntegrationHub.Infrastructure.Alloy;

/// <summary>Alloy Embedded's REST API (2025-09), the endpoints the hub calls. Codes and shapes: docs/alloy-api.md.</summary>
public interface IAlloyApi
{
    [Post("/users")]
    Task<IApiResponse<CreateUserResponse>> CreateUserAsync([Body] CreateUserRequest request, CancellationToken cancellationToken);

    /// <summary>U6: at most 1000 users; answers the refused entries, no userIds.</summary>
    [Post("/users/batch")]
    Task<IApiResponse<BatchCreateUsersResponse>> CreateUsersAsync([Body] BatchCreateUsersRequest request, CancellationToken cancellationToken);

    /// <summary>Accepts a userId or a username.</summary>
    [Get("/users/{uid}")]
    Task<IApiResponse<AlloyUserDto>> GetUserAsync(string uid, CancellationToken cancellationToken);

    [Delete("/users/{uid}")]
    Task<IApiResponse<JsonElement>> DeleteUserAsync(string uid, CancellationToken cancellationToken);

    [Delete("/users/{uid}/logs")]
    Task<IApiResponse<JsonElement>> DeleteUserLogsAsync(string uid, CancellationToken cancellationToken);

    [Get("/users")]
    Task<IApiResponse<DataList<AlloyUserDto>>> ListUsersAsync(CancellationToken cancellationToken);

    [Get("/users/{uid}/token")]
    Task<IApiResponse<TokenResponse>> GetUserTokenAsync(string uid, CancellationToken cancellationToken);

    [Get("/integrations")]
    Task<IApiResponse<DataList<IntegrationDto>>> ListIntegrationsAsync([Query] string userId, CancellationToken cancellationToken);

    /// <summary>N1, the whole account: the raw answer, read as a stream (<see cref="InstallationListingReader"/>); the caller disposes it.</summary>
    [Get("/installations")]
    Task<HttpResponseMessage> StreamInstallationsAsync(CancellationToken cancellationToken);

    [Get("/events")]
    Task<IApiResponse<DataList<CustomEventDto>>> ListEventsAsync(CancellationToken cancellationToken);

    [Post("/run/event")]
    Task<IApiResponse<JsonElement>> RunEventAsync([Body] RunEventRequest request, CancellationToken cancellationToken);
}

public sealed record CustomEventDto(string? Name, string? Description, JsonElement? Body);

public sealed record RunEventRequest(string Event, string UserId, JsonElement Data);

public sealed record CreateUserRequest(string Username, string? FullName);

public sealed record CreateUserResponse(string? UserId);

public sealed record BatchCreateUsersRequest(IReadOnlyList<CreateUserRequest> Users);

/// <summary>U6's answer: the refused entries as Alloy lists them (each the entry that was sent, as far as documented).</summary>
public sealed record BatchCreateUsersResponse(string? Message, IReadOnlyList<JsonElement>? InvalidUsers);

public sealed record AlloyUserDto(string? UserId, string? Username, string? FullName);

public sealed record TokenResponse(string? Token);

public sealed record DataList<T>(IReadOnlyList<T>? Data);

public sealed record IntegrationDto(
    string? IntegrationId,
    string? App,
    string? PrimaryConnector,
    string? Name,
    string? Description,
    string? Icon,
    bool? Installed,
    IReadOnlyList<string>? Credentials);

public sealed record InstallationDto(
    string? InstallationId,
    string? IntegrationId,
    string? UserId,
    bool? Enabled,
    DateTimeOffset? InstalledAt);

public sealed record AlloyErrorBody(string? Message);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateUserRequest))]
[JsonSerializable(typeof(CreateUserResponse))]
[JsonSerializable(typeof(BatchCreateUsersRequest))]
[JsonSerializable(typeof(BatchCreateUsersResponse))]
[JsonSerializable(typeof(AlloyUserDto))]
[JsonSerializable(typeof(DataList<AlloyUserDto>))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(DataList<IntegrationDto>))]
[JsonSerializable(typeof(InstallationDto))]
[JsonSerializable(typeof(AlloyErrorBody))]
[JsonSerializable(typeof(DataList<CustomEventDto>))]
[JsonSerializable(typeof(RunEventRequest))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class AlloyJsonContext : JsonSerializerContext;
