using System.Text.Json;
using IntegrationHub.AlloySandbox.Contracts;
using IntegrationHub.AlloySandbox.Http;
using Microsoft.Extensions.Options;

namespace IntegrationHub.AlloySandbox.Store;

/// <summary>
/// Users (U1–U8) and what is asked of them elsewhere: the userId behind a token, the environment of a
/// token's user, the counts and listing of the control routes. Every call runs under
/// <see cref="SandboxState"/>'s single lock.
/// </summary>
internal sealed class UserStore(SandboxState state, IOptionsMonitor<AlloySandboxOptions> options, TimeProvider time)
{
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

            var user = NewUser(username, input?.FullName);
            partition.AddUser(user);
            return new UserIdResponse(user.UserId);
        });

    public Task<BatchUsersResponse> CreateUsersAsync(SandboxEnvironment environment, IReadOnlyList<JsonElement> users) =>
        state.WriteAlwaysAsync(environment, partition =>
        {
            var invalid = new List<JsonElement>();
            foreach (var item in users)
            {
                var username = ReadString(item, "username");
                if (string.IsNullOrWhiteSpace(username) || partition.UsersByName.ContainsKey(username))
                {
                    invalid.Add(item.Clone());
                    continue;
                }

                partition.AddUser(NewUser(username, ReadString(item, "fullName")));
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
