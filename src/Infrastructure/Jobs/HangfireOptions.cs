using System.ComponentModel.DataAnnotations;

namespace IntegrationHub.Infrastructure.Jobs;

public enum JobStorageKind
{
    InMemory,
    SqlServer,
}

/// <summary>Section <c>Hangfire</c>.</summary>
public sealed class HangfireOptions
{
    public const string SectionName = "Hangfire";

    [EnumDataType(typeof(JobStorageKind))]
    public JobStorageKind Storage { get; set; } = JobStorageKind.InMemory;

    /// <summary>Workers in this process; 0 makes it API-only. Null: Hangfire's default.</summary>
    [Range(0, 1000)]
    public int? WorkerCount { get; set; }

    /// <summary>How often delayed jobs (provisioning retries) are checked for being due.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan? SchedulePollingInterval { get; set; }

    /// <summary>
    /// SQL Server storage: create or upgrade the <c>hangfire</c> schema at start. The <c>migrate</c> command always does;
    /// set false where the hub's login has no DDL rights and <c>migrate</c> runs with a privileged one.
    /// </summary>
    public bool PrepareSchemaIfNecessary { get; set; } = true;

    /// <summary>
    /// In-memory storage: how long finished (succeeded, deleted) jobs are kept for the dashboard before they are dropped.
    /// Every job's state history is held in the process's memory until then: Hangfire's default keeps a day of them
    /// (the in-memory store caps that at three hours), which after a signup burst is tens of megabytes nobody reads.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan InMemoryJobExpiration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Cron of the provisioning reconciler (5 fields, or 6 with seconds first).</summary>
    [Required]
    public string ReconcilerCron { get; set; } = "* * * * *";

    /// <summary>Cron of the installation sync and drift detection.</summary>
    [Required]
    public string InstallationSyncCron { get; set; } = "*/15 * * * *";
}
