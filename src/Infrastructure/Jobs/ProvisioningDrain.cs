namespace IntegrationHub.Infrastructure.Jobs;

/// <summary>
/// Coalesces provisioning requests of this process: at most one <see cref="ProvisionDueAccountsJob"/> waits in the queue
/// at a time, and it drains every account due when it starts. A request while one is queued adds nothing (the queued run
/// will see the new account: the account row commits before the request, the run reads the rows after it starts); a
/// request once it has started queues the next. A queued run that has not started here within
/// <see cref="StaleAfter"/> (another process took it, or the queue is long) no longer holds the next request back.
/// </summary>
public sealed class ProvisioningDrain(TimeProvider time)
{
    /// <summary>How long a queued run holds back the next one before this process queues another anyway.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(1);

    // Timestamp (TimeProvider ticks) at which the waiting run was queued; 0 when none waits.
    private long _queuedAt;

    /// <summary>True when the caller should queue a run (and it is now recorded as queued).</summary>
    public bool TryClaim()
    {
        var now = time.GetTimestamp();
        var queuedAt = Volatile.Read(ref _queuedAt);
        if (queuedAt != 0 && time.GetElapsedTime(queuedAt, now) < StaleAfter)
        {
            return false;
        }

        return Interlocked.CompareExchange(ref _queuedAt, now == 0 ? 1 : now, queuedAt) == queuedAt;
    }

    /// <summary>A run started: requests from now on queue the next one. A full fence, before the run reads the rows.</summary>
    public void Started() => Interlocked.Exchange(ref _queuedAt, 0);

    /// <summary>Queuing the claimed run failed: the next request tries again.</summary>
    public void Abandon() => Interlocked.Exchange(ref _queuedAt, 0);
}
