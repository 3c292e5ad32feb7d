using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.AlloySandbox.Contracts;
using IntegrationHub.AlloySandbox.Faults;
using IntegrationHub.AlloySandbox.Http;
using Microsoft.Extensions.Options;

namespace IntegrationHub.AlloySandbox.Store;

/// <summary>
/// Users (U1–U8) and what is asked of them elsewhere: the userId behind a token, the environment of a
/// token's user, the counts and listing of the control routes. Every call runs under
/// <see cref="SandboxState"/>'s single lock.
/// </summary>
internal sealed class UserStore(SandboxState state, IOptionsMonitor<AlloySandboxOptions> options, FaultInjector faults, TimeProvider time)
{
    private const string InvalidUsernameMessage = "username is invalid";

    public Task<Result<UserIdResponse>> CreateUserAsync(SandboxEnvironment environment, UserInput? input) =>
        state.WriteAsync<UserIdResponse>(environment, partition =>
        {
            var username = input?.Username;
            if (string.IsNullOrWhiteSpace(username))
            {
                return ApiError.Required("username");
            }

            if (partition.UsersByName.ContainsKey(username))
            {
                return DuplicateUsername(username);
            }

            if (faults.IsInvalidUsername(username))
            {
                return ApiError.BadRequest(InvalidUsernameMessage);
            }

            var user = NewUser(username, input?.FullName);
            partition.AddUser(user);
            return new UserIdResponse(user.UserId);
        });

    /// <summary>
    /// U6: creates every valid new user; the refused entries come back as sent, each with the sandbox's
    /// <c>reason</c> (the shape Alloy documents lists the entries only). None valid: 400 and nothing is created.
    /// </summary>
    public Task<Result<BatchUsersResponse>> CreateUsersAsync(SandboxEnvironment environment, IReadOnlyList<JsonElement> users) =>
        state.WriteAsync<BatchUsersResponse>(environment, partition =>
        {
            var invalid = new List<JsonElement>();
            var created = new List<UserRecord>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in users)
            {
                var username = ReadString(item, "username");
                var reason = string.IsNullOrWhiteSpace(username) ? "username is required"
                    : partition.UsersByName.ContainsKey(username) || !seen.Add(username) ? $"User with username '{username}' already exists"
                    : faults.IsInvalidUsername(username) ? InvalidUsernameMessage
                    : null;
                if (reason is not null)
                {
                    invalid.Add(WithReason(item, reason));
                    continue;
                }

                created.Add(NewUser(username!, ReadString(item, "fullName")));
            }

            if (created.Count == 0)
            {
                return ApiError.BadRequest("No valid users provided");
            }

            foreach (var user in created)
            {
                partition.AddUser(user);
            }

            return new BatchUsersResponse("success", invalid);
        });

    public IReadOnlyList<UserResponse> ListUsers(SandboxEnvironment environment, string? parentWorkflowId) =>
        state.Read<IReadOnlyList<UserResponse>>(environment, partition =>
        [
            .. partition.UsersById.Values
                .Where(u => string.IsNullOrEmpty(parentWorkflowId) || u.Workflows.ContainsKey(parentWorkflowId))
                .OrderBy(u => u.Sequence)
                .Select(ToResponse),
        ]);

    public Result<UserResponse> GetUser(SandboxEnvironment environment, string uid) =>
        state.Read<Result<UserResponse>>(environment, partition =>
            partition.FindUser(uid) is { } user ? ToResponse(user) : ApiError.NotFound("User"));

    public Task<Result<UserResponse>> UpdateUserAsync(SandboxEnvironment environment, string uid, UserInput? input) =>
        state.WriteAsync<UserResponse>(environment, partition =>
        {
            var user = partition.FindUser(uid);
            if (user is null)
            {
                return ApiError.NotFound("User");
            }

            if (input?.Username is { } username && !string.Equals(username, user.Username, StringComparison.Ordinal))
            {
                if (string.IsNullOrWhiteSpace(username))
                {
                    return ApiError.Required("username");
                }

                if (partition.UsersByName.ContainsKey(username))
                {
                    return DuplicateUsername(username);
                }

                partition.RenameUser(user, username);
            }

            if (input?.FullName is { } fullName)
            {
                user.FullName = fullName;
            }

            return ToResponse(user);
        });

    /// <summary>Deletes the user with its installations and credentials.</summary>
    public Task<Result<SuccessResponse>> DeleteUserAsync(SandboxEnvironment environment, string uid) =>
        state.WriteAsync<SuccessResponse>(environment, partition =>
        {
            var user = partition.FindUser(uid);
            if (user is null)
            {
                return ApiError.NotFound("User");
            }

            partition.RemoveUser(user);
            return SuccessResponse.True;
        });

    /// <summary>U7: pause every workflow of the user.</summary>
    public Task<Result<MessageResponse>> DeactivateUserWorkflowsAsync(SandboxEnvironment environment, string uid) =>
        state.WriteAsync<MessageResponse>(environment, partition =>
        {
            var user = partition.FindUser(uid);
            if (user is null)
            {
                return ApiError.NotFound("User");
            }

            foreach (var workflow in user.Workflows.Values)
            {
                workflow.Active = false;
            }

            return new MessageResponse("Success");
        });

    /// <summary>The userId for a token (the uid may be a username).</summary>
    public Result<string> ResolveUserId(SandboxEnvironment environment, string uid) =>
        state.Read<Result<string>>(environment, partition =>
            partition.FindUser(uid) is { } user ? user.UserId : ApiError.NotFound("User"));

    /// <summary>The environment a userId lives in, for user tokens (ids are unique across environments).</summary>
    public SandboxEnvironment? EnvironmentOfUser(string userId) =>
        state.ReadAll(partitions =>
        {
            foreach (var (environment, partition) in partitions)
            {
                if (partition.UsersById.ContainsKey(userId))
                {
                    return environment;
                }
            }

            return (SandboxEnvironment?)null;
        });

    // ---------------------------------------------------------------- control routes and start-up

    /// <summary>The number of users per environment, by environment name.</summary>
    public IReadOnlyDictionary<string, int> CountUsers() =>
        state.ReadAll<IReadOnlyDictionary<string, int>>(partitions =>
            partitions.ToDictionary(p => p.Key.ToString(), p => p.Value.UsersById.Count, StringComparer.Ordinal));

    /// <summary>Every user of one environment or both, in creation order.</summary>
    public IReadOnlyList<SandboxUserResponse> DebugUsers(SandboxEnvironment? environment) =>
        state.ReadAll<IReadOnlyList<SandboxUserResponse>>(partitions =>
        [
            .. partitions
                .Where(p => environment is null || p.Key == environment)
                .SelectMany(p => p.Value.UsersById.Values.Select(u => (Environment: p.Key, User: u)))
                .OrderBy(x => x.User.Sequence)
                .Select(x => new SandboxUserResponse(x.Environment.ToString(), x.User.UserId, x.User.Username, x.User.FullName)),
        ]);

    // ---------------------------------------------------------------- helpers

    private ApiError DuplicateUsername(string username)
    {
        var status = options.CurrentValue.DuplicateUsernameStatus;
        return new ApiError(status is >= 400 and <= 599 ? status : 400, $"User with username '{username}' already exists");
    }

    private UserRecord NewUser(string username, string? fullName) => new()
    {
        UserId = ObjectIds.New(time),
        Username = username,
        FullName = fullName,
        CreatedAt = time.GetUtcNow(),
        Sequence = state.NextSequence(),
    };

    private static UserResponse ToResponse(UserRecord user) => new(user.UserId, user.FullName, user.Username);

    /// <summary>The refused entry as it was sent, with <c>reason</c> added when it is an object.</summary>
    private static JsonElement WithReason(JsonElement item, string reason)
    {
        if (item.ValueKind != JsonValueKind.Object || JsonNode.Parse(item.GetRawText()) is not JsonObject entry)
        {
            return item.Clone();
        }

        entry["reason"] = reason;
        using var document = JsonDocument.Parse(entry.ToJsonString());
        return document.RootElement.Clone();
    }

    private static string? ReadString(JsonElement item, string property)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var candidate in item.EnumerateObject())
        {
            if (string.Equals(candidate.Name, property, StringComparison.OrdinalIgnoreCase))
            {
                return candidate.Value.ValueKind == JsonValueKind.String ? candidate.Value.GetString() : null;
            }
        }

        return null;
    }
}
