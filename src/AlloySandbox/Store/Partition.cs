namespace IntegrationHub.AlloySandbox.Store;

/// <summary>
/// One environment's data with its indexes. Not thread-safe on its own: only ever reached through the
/// callbacks of <see cref="SandboxState"/>, which run under its lock.
/// </summary>
internal sealed class Partition
{
    public Dictionary<string, UserRecord> UsersById { get; } = new(StringComparer.Ordinal);

    /// <summary>Usernames are unique per environment, compared exactly (case-sensitive).</summary>
    public Dictionary<string, UserRecord> UsersByName { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, InstallationRecord> Installations { get; } = new(StringComparer.Ordinal);

    /// <summary>"userId/integrationId" → installation: one per user per integration.</summary>
    public Dictionary<string, InstallationRecord> InstallationsByUserIntegration { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, CredentialRecord> Credentials { get; } = new(StringComparer.Ordinal);

    /// <summary>How many received custom events a partition holds; beyond it the oldest are dropped.</summary>
    public const int MaxReceivedEvents = 100_000;

    /// <summary>The custom events E2 accepted, oldest first, at most <see cref="MaxReceivedEvents"/>.</summary>
    public Queue<ReceivedEventRecord> ReceivedEvents { get; } = new();

    /// <summary>Custom events accepted since the last reset, by event name, including those no longer held.</summary>
    public Dictionary<string, long> ReceivedEventCounts { get; } = new(StringComparer.Ordinal);

    public static string UserIntegrationKey(string userId, string integrationId) => userId + "/" + integrationId;

    public void Clear()
    {
        UsersById.Clear();
        UsersByName.Clear();
        Installations.Clear();
        InstallationsByUserIntegration.Clear();
        Credentials.Clear();
        ReceivedEvents.Clear();
        ReceivedEventCounts.Clear();
    }

    public void AddUser(UserRecord user)
    {
        UsersById[user.UserId] = user;
        UsersByName[user.Username] = user;
    }

    /// <summary>Removes the user with its installations and credentials.</summary>
    public void RemoveUser(UserRecord user)
    {
        UsersById.Remove(user.UserId);
        UsersByName.Remove(user.Username);
        foreach (var installation in Installations.Values.Where(i => i.UserId == user.UserId).ToList())
        {
            RemoveInstallation(installation);
        }

        foreach (var credential in Credentials.Values.Where(c => c.UserId == user.UserId).ToList())
        {
            Credentials.Remove(credential.CredentialId);
        }
    }

    public void RenameUser(UserRecord user, string username)
    {
        UsersByName.Remove(user.Username);
        user.Username = username;
        UsersByName[username] = user;
    }

    public void AddInstallation(InstallationRecord installation)
    {
        Installations[installation.InstallationId] = installation;
        InstallationsByUserIntegration[UserIntegrationKey(installation.UserId, installation.IntegrationId)] = installation;
    }

    public void RemoveInstallation(InstallationRecord installation)
    {
        Installations.Remove(installation.InstallationId);
        InstallationsByUserIntegration.Remove(UserIntegrationKey(installation.UserId, installation.IntegrationId));
    }

    public void AddCredential(CredentialRecord credential) => Credentials[credential.CredentialId] = credential;

    /// <summary>Holds a received custom event, dropping the oldest beyond <see cref="MaxReceivedEvents"/>.</summary>
    public void AddReceivedEvent(ReceivedEventRecord received)
    {
        while (ReceivedEvents.Count >= MaxReceivedEvents)
        {
            ReceivedEvents.Dequeue();
        }

        ReceivedEvents.Enqueue(received);
    }

    /// <summary>By userId first, then by username (Alloy's uid parameters accept both).</summary>
    public UserRecord? FindUser(string? uid) =>
        string.IsNullOrEmpty(uid)
            ? null
            : UsersById.GetValueOrDefault(uid) ?? UsersByName.GetValueOrDefault(uid);

    /// <summary>The user's credential with this id; null when there is none or it belongs to someone else.</summary>
    public CredentialRecord? FindCredential(UserRecord user, string credentialId) =>
        Credentials.TryGetValue(credentialId, out var credential) && credential.UserId == user.UserId ? credential : null;

    public StoredPartition ToStored() => new()
    {
        Users = [.. UsersById.Values.OrderBy(u => u.Sequence)],
        Installations = [.. Installations.Values.OrderBy(i => i.Sequence)],
        Credentials = [.. Credentials.Values.OrderBy(c => c.Sequence)],
        ReceivedEvents = [.. ReceivedEvents],
        ReceivedEventCounts = new Dictionary<string, long>(ReceivedEventCounts, StringComparer.Ordinal),
    };

    public void Load(StoredPartition stored)
    {
        Clear();
        foreach (var user in stored.Users)
        {
            AddUser(user);
        }

        foreach (var installation in stored.Installations)
        {
            AddInstallation(installation);
        }

        foreach (var credential in stored.Credentials)
        {
            AddCredential(credential);
        }

        foreach (var received in stored.ReceivedEvents.OrderBy(e => e.Sequence))
        {
            AddReceivedEvent(received);
        }

        foreach (var (name, count) in stored.ReceivedEventCounts)
        {
            ReceivedEventCounts[name] = count;
        }
    }
}
