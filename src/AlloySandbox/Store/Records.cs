using System.Text.Json;

namespace IntegrationHub.AlloySandbox.Store;

// Mutable records held by SandboxState's partitions: read and written only under its lock, and serialized as the state file.

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

/// <summary>One custom event E2 accepted: what a workflow triggered by it would have received.</summary>
internal sealed class ReceivedEventRecord
{
    public required string Id { get; set; }

    public required string Event { get; set; }

    public required string UserId { get; set; }

    public JsonElement Data { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public long Sequence { get; set; }
}

/// <summary>The state file: everything except faults and call counters.</summary>
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

    /// <summary>The custom events held (at most <see cref="Partition.MaxReceivedEvents"/>), oldest first.</summary>
    public List<ReceivedEventRecord> ReceivedEvents { get; set; } = [];

    /// <summary>Custom events accepted since the last reset, by event name (evicted ones included).</summary>
    public Dictionary<string, long> ReceivedEventCounts { get; set; } = [];
}
