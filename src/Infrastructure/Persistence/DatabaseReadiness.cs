namespace IntegrationHub.Infrastructure.Persistence;

/// <summary>
/// Whether the start-up database work (migrations, SQLite's WAL mode, Hangfire's SQL Server schema) has completed.
/// Until it has, <c>/health/ready</c> answers 503 with <see cref="Reason"/>, and the services that need the schema
/// (the recurring jobs' registration and the start-up reconciler) wait in <see cref="WaitAsync"/>.
/// </summary>
public sealed class DatabaseReadiness
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string? _reason = "Database initialization has not run yet";

    public bool IsReady => _ready.Task.IsCompleted;

    /// <summary>Why the database is not ready (null once it is); never exception text, which may carry secrets.</summary>
    public string? Reason => IsReady ? null : _reason;

    public void MarkReady() => _ready.TrySetResult();

    public void MarkUnavailable(string reason)
    {
        if (!IsReady)
        {
            _reason = reason;
        }
    }

    /// <summary>Completes when the database is ready (at once if it already is).</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);
}
