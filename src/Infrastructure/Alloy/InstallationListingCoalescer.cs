using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Common;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Infrastructure.Alloy;

/// <summary>
/// Alloy lists installations only for the whole account (<c>GET /installations</c>, N1 in docs/alloy-api.md), so
/// every tenant's refresh and every webhook resolution downloads the same list. This shares it, per environment,
/// without ever answering with a list older than the question: a caller is served only by a listing whose upstream
/// call started after the caller asked. The first caller starts a listing; callers that ask while it is in flight
/// cannot use it (it may predate an installation they were told about), so they all share the next listing, which
/// starts the moment the current one ends. Each listing starts <see cref="HubAlloyOptions.InstallationListingGather"/>
/// after its first caller asked, so a burst that arrives over that long shares one call: a burst costs a couple of
/// calls, and a caller waits at most the gather time plus two listing times. A failure is answered to the callers that
/// shared that call and never reused.
/// <see cref="HubAlloyOptions.CoalesceInstallationListings"/> = false makes every caller call Alloy itself. The
/// upstream call takes no caller's cancellation (others wait on it); a cancelled caller only stops waiting. Per
/// process: nothing here is needed for correctness.
/// </summary>
public sealed class InstallationListingCoalescer(IOptionsMonitor<HubAlloyOptions> options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time = time;
    private readonly Dictionary<AlloyEnvironment, Flight> _flights = [];

    public async Task<Result<IReadOnlyList<AlloyInstallation>>> ListAsync(
        Func<CancellationToken, Task<Result<IReadOnlyList<AlloyInstallation>>>> fetch,
        CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (!settings.CoalesceInstallationListings)
        {
            return await fetch(cancellationToken);
        }

        Task<Result<IReadOnlyList<AlloyInstallation>>> listing;
        lock (_gate)
        {
            if (!_flights.TryGetValue(settings.Environment, out var flight))
            {
                flight = new Flight(this, settings.Environment, settings.InstallationListingGather);
                _flights[settings.Environment] = flight;
            }

            listing = flight.Join(fetch);
        }

        return await listing.WaitAsync(cancellationToken);
    }

    /// <summary>The listing in flight for one environment and the one queued behind it; guarded by the coalescer's gate.</summary>
    private sealed class Flight(InstallationListingCoalescer owner, AlloyEnvironment environment, TimeSpan gather)
    {
        private DateTimeOffset _nextAskedAt;

        private Task<Result<IReadOnlyList<AlloyInstallation>>>? _current;
        private TaskCompletionSource<Result<IReadOnlyList<AlloyInstallation>>>? _next;
        private Func<CancellationToken, Task<Result<IReadOnlyList<AlloyInstallation>>>>? _nextFetch;

        public Task<Result<IReadOnlyList<AlloyInstallation>>> Join(Func<CancellationToken, Task<Result<IReadOnlyList<AlloyInstallation>>>> fetch)
        {
            if (_current is null)
            {
                _current = RunAsync(fetch, owner._time.GetUtcNow() + gather);
                return _current;
            }

            // In flight, started before this caller asked: wait for the next one, which starts after it.
            if (_next is null)
            {
                _next = new TaskCompletionSource<Result<IReadOnlyList<AlloyInstallation>>>(TaskCreationOptions.RunContinuationsAsynchronously);
                _nextFetch = fetch;
                _nextAskedAt = owner._time.GetUtcNow();
            }

            return _next.Task;
        }

        private async Task<Result<IReadOnlyList<AlloyInstallation>>> RunAsync(
            Func<CancellationToken, Task<Result<IReadOnlyList<AlloyInstallation>>>> fetch, DateTimeOffset startAt)
        {
            await Task.Yield(); // never run the call under the gate
            try
            {
                var wait = startAt - owner._time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, owner._time);
                }

                return await fetch(CancellationToken.None);
            }
            finally
            {
                Promote();
            }
        }

        /// <summary>The current listing ended: the queued one (if any) becomes current and starts now.</summary>
        private void Promote()
        {
            TaskCompletionSource<Result<IReadOnlyList<AlloyInstallation>>>? waiting;
            Func<CancellationToken, Task<Result<IReadOnlyList<AlloyInstallation>>>>? fetch;
            lock (owner._gate)
            {
                waiting = _next;
                fetch = _nextFetch;
                _next = null;
                _nextFetch = null;
                _current = waiting is null || fetch is null ? null : RunAsync(fetch, _nextAskedAt + gather);
                if (_current is null)
                {
                    owner._flights.Remove(environment);
                }
                else
                {
                    _ = _current.ContinueWith(
                        static (done, state) => ((TaskCompletionSource<Result<IReadOnlyList<AlloyInstallation>>>)state!).SetFromTask(done),
                        waiting,
                        CancellationToken.None,
                        TaskContinuationOptions.ExecuteSynchronously,
                        TaskScheduler.Default);
                }
            }
        }
    }
}
