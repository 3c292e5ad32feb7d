namespace IntegrationHub.AlloySandbox.Store;

// Mutable records owned by SandboxStore: read and written only under its lock, and serialized as the state file.

internal sealed class UserRecord
{
    public required string UserId { get; set; }

    public required string Username { get; set; }

    public string? FullName { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public long Sequence { get; set; }

    /// <summary>The user's child copies of parent workflows, by workflowId: present means installed.</summary>
    public Dictionary<string, UserWorkflowState> Workflows { get; set; } = new(StringComparer.Ordinal);
}

internal sealed class UserWorkflowState
{
    public bool Active { get; set; }

    public int InstalledVersion { get; set; }
}

internal sealed class InstallationRecord
{
    public required string InstallationId { get; set; }

    public required string IntegrationId { get; set; }

    public required string UserId { get; set; }

    /// <summary>App key → credentialId.</summary>
    public Dictionary<string, string> CredentialIds { get; set; } = new(StringComparer.Ordinal);

    public List<string> WorkflowIds { get; set; } = [];

    public DateTimeOffset InstalledAt { get; set; }

    public bool Enabled { get; set; }

    /// <summary>Whether H2 (or the modal) finished it; until then the integration does not count as installed.</summary>
    public bool Completed { get; set; }

    public long Sequence { get; set; }
}

internal sealed class CredentialRecord
{
    public required string CredentialId { get; set; }

    public required string UserId { get; set; }

    public required string Type { get; set; }

    public required string Name { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public long Sequence { get; set; }
}

/// <summary>The state file: everything except faults and counters.</summary>
internal sealed class StoredState
{
    public int FormatVersion { get; set; } = 1;

    public string? SigningKey { get; set; }

    public long Sequence { get; set; }

    public Dictionary<string, StoredPartition> Environments { get; set; } = [];
}

internal sealed class StoredPartition
{
    public List<UserRecord> Users { get; set; } = [];

    public List<InstallationRecord> Installations { get; set; } = [];

    public List<CredentialRecord> Credentials { get; set; } = [];
}

/// <summary>One environment's data with its indexes.</summary>
internal sealed class Partition
{
    public Dictionary<string, UserRecord> UsersById { get; } = new(StringComparer.Ordinal);

    /// <summary>Usernames are unique per environment, compared exactly (case-sensitive).</summary>
    public Dictionary<string, UserRecord> UsersByName { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, InstallationRecord> Installations { get; } = new(StringComparer.Ordinal);

    /// <summary>"userId/integrationId" → installation: one per user per integration.</summary>
    public Dictionary<string, InstallationRecord> InstallationsByUserIntegration { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, CredentialRecord> Credentials { get; } = new(StringComparer.Ordinal);

    public static string UserIntegrationKey(string userId, string integrationId) => userId + "/" + integrationId;

    public void Clear()
    {
        UsersById.Clear();
        UsersByName.Clear();
        Installations.Clear();
        InstallationsByUserIntegration.Clear();
        Credentials.Clear();
    }

    public void AddUser(UserRecord user)
    {
        UsersById[user.UserId] = user;
        UsersByName[user.Username] = user;
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

    /// <summary>By userId first, then by username (Alloy's uid parameters accept both).</summary>
    public UserRecord? FindUser(string? uid) =>
        string.IsNullOrEmpty(uid)
            ? null
            : UsersById.GetValueOrDefault(uid) ?? UsersByName.GetValueOrDefault(uid);

    public StoredPartition ToStored() => new()
    {
        Users = [.. UsersById.Values.OrderBy(u => u.Sequence)],
        Installations = [.. Installations.Values.OrderBy(i => i.Sequence)],
        Credentials = [.. Credentials.Values.OrderBy(c => c.Sequence)],
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
            Credentials[credential.CredentialId] = credential;
        }
    }
}
