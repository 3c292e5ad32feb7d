using IntegrationHub.Application.Common.Options;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Infrastructure.Jobs;

/// <summary>
/// Coalesces provisioning requests of this process: at most one <see cref="ProvisionDueAccountsJob"/> waits in the queue
/// at a time, and it drains every account due when it starts. A request while one is queued adds nothing (the queued run
/// will see the new account: the account row commits before the request, the run reads the rows after it starts); a
/// request once it has started queues the next. A queued run that has not started here within
/// <see cref="StaleAfter"/> (another process took it, or the queue is long) no longer holds the next request back.
/// With batching on, at most <see cref="ProvisioningOptions.MaxConcurrentDrains"/> runs drain at once here: a run that finds them all
/// busy waits for one to finish before it counts as started, so the accounts a burst makes due meanwhile go to Alloy in
/// one batch instead of being split among many runs.
/// </summary>
public sealed class ProvisioningDrain(TimeProvider time, IOptions<ProvisioningOptions> options) : IDisposable
{
    // Without batching, every run sends one account at a time: limiting the runs would limit Alloy calls in flight.
    private readonly SemaphoreSlim? _running = options.Value.BatchEnabled
        ? new SemaphoreSlim(options.Value.MaxConcurrentDrains, options.Value.MaxConcurrentDrains)
        : null;

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

    /// <summary>
    /// Waits for a free run slot, then marks the run started (requests from now on queue the next one; a full fence,
    /// before the run reads the rows). Dispose the answer when the run ends.
    /// </summary>
    public async Task<IDisposable> StartAsync(CancellationToken cancellationToken)
    {
        if (_running is null)
        {
            Started();
            return NoSlot.Instance;
        }

        await _running.WaitAsync(cancellationToken);
        Started();
        return new Slot(_running);
    }

    /// <summary>A run started: requests from now on queue the next one. A full fence, before the run reads the rows.</summary>
    public void Started() => Interlocked.Exchange(ref _queuedAt, 0);

    /// <summary>Queuing the claimed run failed: the next request tries again.</summary>
    public void Abandon() => Interlocked.Exchange(ref _queuedAt, 0);

    /// <inheritdoc />
    public void Dispose() => _running?.Dispose();

    private sealed class NoSlot : IDisposable
    {
        public static readonly NoSlot Instance = new();

        public void Dispose()
        {
            // Nothing was taken.
        }
    }

    private sealed class Slot(SemaphoreSlim running) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                running.Release();
            }
        }
    }
}
