using System.Text.Json;
using IntegrationHub.AlloySandbox.Http;
using Microsoft.Extensions.Options;

namespace IntegrationHub.AlloySandbox.Store;

/// <summary>A serialized state and the <see cref="SandboxState"/> version it was taken at.</summary>
internal readonly record struct StateSnapshot(byte[] Bytes, long Version);

/// <summary>
/// The state file (<c>AlloySandbox:StateFile</c>): reads it once at start-up and writes it after mutations,
/// through a temporary file and a rename so a crash never leaves half a file. Saves are serialized by their
/// own gate and coalesced: a save that starts after a mutation carries it, so a waiting caller whose
/// version is already on disk returns at once. Holds no sandbox data itself; what goes into the file and
/// the lock it is taken under belong to <see cref="SandboxState"/>. Without a state file it does nothing.
/// </summary>
internal sealed class StatePersistence : IDisposable
{
    private readonly SemaphoreSlim _saveGate = new(1, 1);
    private long _savedVersion;

    public StatePersistence(IOptionsMonitor<AlloySandboxOptions> options)
    {
        var stateFile = options.CurrentValue.StateFile;
        StateFile = string.IsNullOrWhiteSpace(stateFile) ? null : Path.GetFullPath(stateFile);
    }

    /// <summary>The full path of the state file; null when the sandbox keeps its data in memory only.</summary>
    public string? StateFile { get; }

    public void Dispose() => _saveGate.Dispose();

    /// <summary>The state file's JSON, as <see cref="SandboxState"/> serializes it under its lock.</summary>
    public static byte[] Serialize(StoredState state) =>
        JsonSerializer.SerializeToUtf8Bytes(state, SandboxJson.StateFileOptions.GetTypeInfo(typeof(StoredState)));

    /// <summary>Reads the state file when there is one (creating its folder); null when there is nothing to load.</summary>
    /// <exception cref="InvalidOperationException">The file is not valid JSON.</exception>
    public StoredState? Load()
    {
        if (StateFile is null)
        {
            return null;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(StateFile)!);
        if (!File.Exists(StateFile))
        {
            return null;
        }

        try
        {
            // Read as a stream: a large state (100,000 users, 500,000 installations) is never held as one byte array.
            using var file = new FileStream(StateFile, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
            return (StoredState?)JsonSerializer.Deserialize(file, SandboxJson.StateFileOptions.GetTypeInfo(typeof(StoredState)));
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"The Alloy sandbox state file '{StateFile}' is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Returns once the state at <paramref name="version"/> (or later) is on disk. <paramref name="snapshot"/>
    /// is called only when a write is needed, and must take the state under <see cref="SandboxState"/>'s lock.
    /// </summary>
    public async Task SaveAsync(long version, Func<StateSnapshot> snapshot)
    {
        if (StateFile is null)
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

            var taken = snapshot();
            var temporary = StateFile + ".tmp";
            await File.WriteAllBytesAsync(temporary, taken.Bytes);
            File.Move(temporary, StateFile, overwrite: true);
            _savedVersion = taken.Version;
        }
        finally
        {
            _saveGate.Release();
        }
    }
}
