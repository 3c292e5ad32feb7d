using System.Diagnostics;
using System.Security.Cryptography;
using IntegrationHub.AlloySandbox.Http;

namespace IntegrationHub.AlloySandbox.Store;

/// <summary>
/// All sandbox data, one <see cref="Partition"/> per environment, and the one lock that guards it.
/// </summary>
/// <remarks>
/// <para>
/// Locking: a single lock for everything, because operations cross resources (deleting a user drops its
/// installations and credentials; starting an installation may connect credentials) and checks such as
/// username uniqueness must be atomic. Partitions and records are reachable only inside the callbacks of
/// <see cref="Read{T}"/>, <see cref="ReadAll{T}"/>, <see cref="WriteAsync{T}"/> and
/// <see cref="WriteAlwaysAsync{T}"/>, which run under the lock; the resource stores
/// (<see cref="UserStore"/>, <see cref="IntegrationStore"/>, <see cref="InstallationStore"/>,
/// <see cref="CredentialStore"/>) build their answers inside the callback, so no mutable record escapes it.
/// Callbacks never block, await or call back into this class except <see cref="NextSequence"/>.
/// </para>
/// <para>
/// Persistence: every successful write bumps a version; with a state file, the write's caller gets its
/// answer only once that version is on disk (<see cref="StatePersistence"/> coalesces concurrent saves and
/// snapshots the data through <see cref="Snapshot"/>, under this lock).
/// </para>
/// </remarks>
internal sealed class SandboxState
{
    private readonly Lock _gate = new();
    private readonly Dictionary<SandboxEnvironment, Partition> _partitions = new()
    {
        [SandboxEnvironment.Development] = new Partition(),
        [SandboxEnvironment.Production] = new Partition(),
    };

    private readonly StatePersistence _persistence;
    private long _sequence;
    private long _version;

    public SandboxState(StatePersistence persistence)
    {
        _persistence = persistence;
        SigningKey = Load(persistence.Load()) ?? RandomNumberGenerator.GetBytes(32);
    }

    /// <summary>The generated JWT secret (kept in the state file, so tokens survive a restart).</summary>
    public byte[] SigningKey { get; }

    /// <summary>The full path of the state file; null when the data lives in memory only.</summary>
    public string? StateFile => _persistence.StateFile;

    /// <summary>Runs <paramref name="read"/> on the environment's partition under the lock.</summary>
    public T Read<T>(SandboxEnvironment environment, Func<Partition, T> read)
    {
        lock (_gate)
        {
            return read(_partitions[environment]);
        }
    }

    /// <summary>Runs <paramref name="read"/> on every environment's partition under the lock.</summary>
    public T ReadAll<T>(Func<IReadOnlyDictionary<SandboxEnvironment, Partition>, T> read)
    {
        lock (_gate)
        {
            return read(_partitions);
        }
    }

    /// <summary>Runs a mutation under the lock; when it succeeds, saves the state before answering.</summary>
    public async Task<Result<T>> WriteAsync<T>(SandboxEnvironment environment, Func<Partition, Result<T>> mutation)
    {
        Result<T> result;
        long version;
        lock (_gate)
        {
            result = mutation(_partitions[environment]);
            version = result.IsSuccess ? ++_version : 0;
        }

        if (version > 0)
        {
            await _persistence.SaveAsync(version, Snapshot);
        }

        return result;
    }

    /// <summary>Runs a mutation that cannot fail under the lock, and saves the state before answering.</summary>
    public Task<T> WriteAlwaysAsync<T>(SandboxEnvironment environment, Func<Partition, T> mutation) =>
        WriteAlwaysAsync(() => mutation(_partitions[environment]));

    /// <summary>Clears all data in both environments; the signing key and the id sequence stay.</summary>
    public Task ResetAsync() =>
        WriteAlwaysAsync(() =>
        {
            foreach (var partition in _partitions.Values)
            {
                partition.Clear();
            }

            return true;
        });

    /// <summary>The next creation number (records list in creation order); call only inside a callback.</summary>
    public long NextSequence()
    {
        Debug.Assert(_gate.IsHeldByCurrentThread, "NextSequence is called only under the state lock.");
        return ++_sequence;
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

        await _persistence.SaveAsync(version, Snapshot);
        return result;
    }

    private StateSnapshot Snapshot()
    {
        lock (_gate)
        {
            var state = new StoredState
            {
                SigningKey = Convert.ToBase64String(SigningKey),
                Sequence = _sequence,
                Environments = _partitions.ToDictionary(p => p.Key.ToString(), p => p.Value.ToStored(), StringComparer.Ordinal),
            };
            return new StateSnapshot(StatePersistence.Serialize(state), _version);
        }
    }

    /// <summary>Takes in the loaded state file, if any; returns its signing key.</summary>
    private byte[]? Load(StoredState? state)
    {
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
