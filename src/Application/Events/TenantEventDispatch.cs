using IntegrationHub.Domain.Tenants;

namespace IntegrationHub.Application.Events;

/// <summary>
/// Keeps one delivery job per tenant in this process: a tenant with a backlog of 10,000 events occupies one job worker,
/// not the whole queue, so a tenant that sends 10 gets its own worker at once (fairness). A request for a tenant whose
/// job is queued changes nothing; one whose job is running makes that job look again before it ends. Losing this memory
/// (a crash) loses nothing: the rows say what is due, and the reconciler asks again.
/// </summary>
public sealed class TenantEventDispatch(TimeProvider time)
{
    /// <summary>A queued job not started after this long is presumed lost; a new request enqueues another.</summary>
    public static readonly TimeSpan QueuedStaleAfter = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<TenantId, Entry> _tenants = [];

    /// <summary>Asks for a delivery job for the tenant; <paramref name="enqueue"/> is called when one must be queued.</summary>
    public void Request(TenantId tenantId, Action<string> enqueue)
    {
        ArgumentNullException.ThrowIfNull(enqueue);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_tenants.TryGetValue(tenantId, out var entry))
            {
                if (entry.Running)
                {
                    entry.Dirty = true;
                    return;
                }

                if (now - entry.QueuedAt < QueuedStaleAfter)
                {
                    return;
                }
            }

            _tenants[tenantId] = new Entry { QueuedAt = now };
        }

        enqueue(tenantId.Value);
    }

    /// <summary>A delivery job starts; false when another job of this tenant runs (it will look again for this one).</summary>
    public bool TryBegin(TenantId tenantId)
    {
        lock (_gate)
        {
            if (_tenants.TryGetValue(tenantId, out var entry) && entry.Running)
            {
                entry.Dirty = true;
                return false;
            }

            _tenants[tenantId] = new Entry { Running = true };
            return true;
        }
    }

    /// <summary>The running job finished a pass: true when work was requested meanwhile (pass again), else the job ends.</summary>
    public bool ShouldContinue(TenantId tenantId)
    {
        lock (_gate)
        {
            if (_tenants.TryGetValue(tenantId, out var entry) && entry.Dirty)
            {
                entry.Dirty = false;
                return true;
            }

            _tenants.Remove(tenantId);
            return false;
        }
    }

    /// <summary>The running job ends early (its time slice, a failure): the tenant is free for the next request.</summary>
    public void End(TenantId tenantId)
    {
        lock (_gate)
        {
            if (_tenants.TryGetValue(tenantId, out var entry) && entry.Running)
            {
                _tenants.Remove(tenantId);
            }
        }
    }

    /// <summary>Tenants with a job queued or running in this process.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _tenants.Count;
            }
        }
    }

    private sealed class Entry
    {
        public bool Running { get; init; }

        public bool Dirty { get; set; }

        public DateTimeOffset QueuedAt { get; init; }
    }
}
