using System.Security.Cryptography;
using System.Text.Json;
using IntegrationHub.AlloySandbox.Catalog;
using IntegrationHub.AlloySandbox.Contracts;
using IntegrationHub.AlloySandbox.Http;
using Microsoft.Extensions.Options;

namespace IntegrationHub.AlloySandbox.Store;

/// <summary>Which user a call is about: a uid (userId or username) from the request and/or the user of a user token.</summary>
internal readonly record struct UserScope(string? Uid, string? TokenUserId);

/// <summary>
/// All sandbox data, partitioned by environment. One lock guards everything, so checks such as username
/// uniqueness are atomic; answers are built under the lock, so no mutable record escapes it. With a state
/// file, every mutation is on disk before its caller gets an answer (concurrent saves are coalesced).
/// </summary>
internal sealed partial class SandboxStore : IDisposable
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _saveGate = new(1, 1);
    private readonly Dictionary<SandboxEnvironment, Partition> _partitions = new()
    {
        [SandboxEnvironment.Development] = new Partition(),
        [SandboxEnvironment.Production] = new Partition(),
    };

    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<AlloySandboxOptions> _options;
    private readonly string? _stateFile;
    private long _sequence;
    private long _version;
    private long _savedVersion;

    public SandboxStore(IOptionsMonitor<AlloySandboxOptions> options, TimeProvider time)
    {
        _options = options;
        _time = time;
        var stateFile = options.CurrentValue.StateFile;
        _stateFile = string.IsNullOrWhiteSpace(stateFile) ? null : Path.GetFullPath(stateFile);
        SigningKey = Load() ?? RandomNumberGenerator.GetBytes(32);
    }

    /// <summary>The generated JWT secret (kept in the state file, so tokens survive a restart).</summary>
    public byte[] SigningKey { get; }

    public string? StateFile => _stateFile;

    public void Dispose() => _saveGate.Dispose();

    // ---------------------------------------------------------------- users

    public Task<Result<UserIdResponse>> CreateUserAsync(SandboxEnvironment environment, UserInput? input) =>
        WriteAsync<UserIdResponse>(() =>
        {
            var username = input?.Username;
            if (string.IsNullOrWhiteSpace(username))
            {
                return ApiError.Required("username");
            }

            var partition = _partitions[environment];
            if (partition.UsersByName.ContainsKey(username))
            {
                return DuplicateUsername(username);
            }

            var user = NewUser(username, input?.FullName);
            partition.AddUser(user);
            return new UserIdResponse(user.UserId);
        });

    public Task<BatchUsersResponse> CreateUsersAsync(SandboxEnvironment environment, IReadOnlyList<JsonElement> users) =>
        WriteAlwaysAsync(() =>
        {
            var partition = _partitions[environment];
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

    public IReadOnlyList<UserResponse> ListUsers(SandboxEnvironment environment, string? parentWorkflowId)
    {
        lock (_gate)
        {
            return
            [
                .. _partitions[environment].UsersById.Values
                    .Where(u => string.IsNullOrEmpty(parentWorkflowId) || u.Workflows.ContainsKey(parentWorkflowId))
                    .OrderBy(u => u.Sequence)
                    .Select(ToResponse),
            ];
        }
    }

    public Result<UserResponse> GetUser(SandboxEnvironment environment, string uid)
    {
        lock (_gate)
        {
            var user = _partitions[environment].FindUser(uid);
            return user is null ? ApiError.NotFound("User") : ToResponse(user);
        }
    }

    public Task<Result<UserResponse>> UpdateUserAsync(SandboxEnvironment environment, string uid, UserInput? input) =>
        WriteAsync<UserResponse>(() =>
        {
            var partition = _partitions[environment];
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

                partition.UsersByName.Remove(user.Username);
                user.Username = username;
                partition.UsersByName[username] = user;
            }

            if (input?.FullName is { } fullName)
            {
                user.FullName = fullName;
            }

            return ToResponse(user);
        });

    /// <summary>Deletes the user with its installations and credentials.</summary>
    public Task<Result<SuccessResponse>> DeleteUserAsync(SandboxEnvironment environment, string uid) =>
        WriteAsync<SuccessResponse>(() =>
        {
            var partition = _partitions[environment];
            var user = partition.FindUser(uid);
            if (user is null)
            {
                return ApiError.NotFound("User");
            }

            partition.UsersById.Remove(user.UserId);
            partition.UsersByName.Remove(user.Username);
            foreach (var installation in partition.Installations.Values.Where(i => i.UserId == user.UserId).ToList())
            {
                partition.RemoveInstallation(installation);
            }

            foreach (var credential in partition.Credentials.Values.Where(c => c.UserId == user.UserId).ToList())
            {
                partition.Credentials.Remove(credential.CredentialId);
            }

            return SuccessResponse.True;
        });

    /// <summary>U7: pause every workflow of the user.</summary>
    public Task<Result<MessageResponse>> DeactivateUserWorkflowsAsync(SandboxEnvironment environment, string uid) =>
        WriteAsync<MessageResponse>(() =>
        {
            var user = _partitions[environment].FindUser(uid);
            if (user is null)
            {
                return ApiError.NotFound("User");
            }

            foreach (var state in user.Workflows.Values)
            {
                state.Active = false;
            }

            return new MessageResponse("Success");
        });

    /// <summary>The userId for a token (the uid may be a username).</summary>
    public Result<string> ResolveUserId(SandboxEnvironment environment, string uid)
    {
        lock (_gate)
        {
            var user = _partitions[environment].FindUser(uid);
            return user is null ? ApiError.NotFound("User") : user.UserId;
        }
    }

    /// <summary>The environment a userId lives in, for user tokens (ids are unique across environments).</summary>
    public SandboxEnvironment? EnvironmentOfUser(string userId)
    {
        lock (_gate)
        {
            foreach (var (environment, partition) in _partitions)
            {
                if (partition.UsersById.ContainsKey(userId))
                {
                    return environment;
                }
            }

            return null;
        }
    }

    // ---------------------------------------------------------------- control

    public IReadOnlyDictionary<string, int> CountUsers()
    {
        lock (_gate)
        {
            return _partitions.ToDictionary(p => p.Key.ToString(), p => p.Value.UsersById.Count, StringComparer.Ordinal);
        }
    }

    public IReadOnlyList<SandboxUserResponse> DebugUsers(SandboxEnvironment? environment)
    {
        lock (_gate)
        {
            return
            [
                .. _partitions
                    .Where(p => environment is null || p.Key == environment)
                    .SelectMany(p => p.Value.UsersById.Values.Select(u => (Environment: p.Key, User: u)))
                    .OrderBy(x => x.User.Sequence)
                    .Select(x => new SandboxUserResponse(x.Environment.ToString(), x.User.UserId, x.User.Username, x.User.FullName)),
            ];
        }
    }

    public Task ResetAsync() =>
        WriteAlwaysAsync(() =>
        {
            foreach (var partition in _partitions.Values)
            {
                partition.Clear();
            }

            return true;
        });

    // ---------------------------------------------------------------- helpers

    private ApiError DuplicateUsername(string username)
    {
        var status = _options.CurrentValue.DuplicateUsernameStatus;
        return new ApiError(status is >= 400 and <= 599 ? status : 400, $"User with username '{username}' already exists");
    }

    private UserRecord NewUser(string username, string? fullName) => new()
    {
        UserId = ObjectIds.New(_time),
        Username = username,
        FullName = fullName,
        CreatedAt = _time.GetUtcNow(),
        Sequence = ++_sequence,
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

    private static CatalogIntegration IntegrationOf(InstallationRecord installation) =>
        IntegrationCatalog.FindIntegration(installation.IntegrationId)
        ?? throw new InvalidOperationException($"Installation {installation.InstallationId} refers to unknown integration {installation.IntegrationId}.");

    /// <summary>Runs a mutation under the lock; when it succeeds, saves the state before answering.</summary>
    private async Task<Result<T>> WriteAsync<T>(Func<Result<T>> mutation)
    {
        Result<T> result;
        long version;
        lock (_gate)
        {
            result = mutation();
            version = result.IsSuccess ? ++_version : 0;
        }

        if (version > 0)
        {
            await PersistAsync(version);
        }

        return result;
    }

    private async Task<T> WriteAlwaysAsync<T>(Func<T> mutation)
    {
        T result;
        long version;
        lock (_gate)
        {
            result = mutation();
            version = ++_version;
        }

        await PersistAsync(version);
        return result;
    }

    private async Task PersistAsync(long version)
    {
        if (_stateFile is null)
        {
            return;
        }

        await _saveGate.WaitAsync();
        try
        {
            if (_savedVersion >= version)
            {
                return; // a save that started after this mutation already wrote it
            }

            byte[] bytes;
            long snapshot;
            lock (_gate)
            {
                var state = new StoredState
                {
                    SigningKey = Convert.ToBase64String(SigningKey),
                    Sequence = _sequence,
                    Environments = _partitions.ToDictionary(p => p.Key.ToString(), p => p.Value.ToStored(), StringComparer.Ordinal),
                };
                bytes = JsonSerializer.SerializeToUtf8Bytes(state, SandboxJson.StateFileOptions.GetTypeInfo(typeof(StoredState)));
                snapshot = _version;
            }

            var temporary = _stateFile + ".tmp";
            await File.WriteAllBytesAsync(temporary, bytes);
            File.Move(temporary, _stateFile, overwrite: true);
            _savedVersion = snapshot;
        }
        finally
        {
            _saveGate.Release();
        }
    }

    /// <summary>Loads the state file when there is one; returns its signing key.</summary>
    private byte[]? Load()
    {
        if (_stateFile is null)
        {
            return null;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(_stateFile)!);
        if (!File.Exists(_stateFile))
        {
            return null;
        }

        StoredState? state;
        try
        {
            state = (StoredState?)JsonSerializer.Deserialize(File.ReadAllBytes(_stateFile), SandboxJson.StateFileOptions.GetTypeInfo(typeof(StoredState)));
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"The Alloy sandbox state file '{_stateFile}' is not valid JSON: {ex.Message}", ex);
        }

        if (state is null)
        {
            return null;
        }

        foreach (var (name, stored) in state.Environments)
        {
            if (Enum.TryParse<SandboxEnvironment>(name, ignoreCase: true, out var environment))
            {
                _partitions[environment].Load(stored);
            }
        }

        _sequence = state.Sequence;
        return string.IsNullOrEmpty(state.SigningKey) ? null : Convert.FromBase64String(state.SigningKey);
    }
}
