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
/// A caller that needs one user's installations (<see cref="ListForUserAsync"/>) names the user: the shared listing is
/// read as a stream and keeps only the entries of the users whose callers share it, so what a burst holds grows with
/// the burst, not with the account.
/// </summary>
public sealed class InstallationListingCoalescer(IOptionsMonitor<HubAlloyOptions> options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time = time;
    private readonly Dictionary<AlloyEnvironment, Flight> _flights = [];

    /// <summary>The whole account's listing, shared as described above.</summary>
    public Task<Result<IReadOnlyList<AlloyInstallation>>> ListAsync(
        Func<CancellationToken, Task<Result<IReadOnlyList<AlloyInstallation>>>> fetch,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        return JoinAsync(null, (_, ct) => fetch(ct), cancellationToken);
    }

    /// <summary>
    /// The installations of <paramref name="userId"/>, from a listing shared as described above. <paramref name="fetch"/>
    /// lists the account keeping only the entries its filter accepts: the users of every caller sharing that call.
    /// </summary>
    public async Task<Result<IReadOnlyList<AlloyInstallation>>> ListForUserAsync(
        string userId,
        Func<Func<AlloyInstallation, bool>, CancellationToken, Task<Result<IReadOnlyList<AlloyInstallation>>>> fetch,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(fetch);
        var listed = await JoinAsync(userId, (keep, ct) => fetch(keep, ct), cancellationToken);
        if (!listed.IsSuccess)
        {
            return listed;
        }

        return listed.Value.Where(i => string.Equals(i.UserId, userId, StringComparison.Ordinal)).ToList();
    }

    private async Task<Result<IReadOnlyList<AlloyInstallation>>> JoinAsync(
        string? userId, Fetch fetch, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (!settings.CoalesceInstallationListings)
        {
            return await fetch(Keep(userId is null ? null : [userId]), cancellationToken);
        }

        Task<Result<IReadOnlyList<AlloyInstallation>>> listing;
        lock (_gate)
        {
            if (!_flights.TryGetValue(settings.Environment, out var flight))
            {
                flight = new Flight(this, settings.Environment, settings.InstallationListingGather);
                _flights[settings.Environment] = flight;
            }

            listing = flight.Join(userId, fetch);
        }

        return await listing.WaitAsync(cancellationToken);
    }

    /// <summary>What a listing keeps: every entry (<paramref name="users"/> null: a caller wants the whole account) or those users'.</summary>
    private static Func<AlloyInstallation, bool> Keep(HashSet<string>? users) =>
        users is null ? static _ => true : i => users.Contains(i.UserId);

    private delegate Task<Result<IReadOnlyList<AlloyInstallation>>> Fetch(Func<AlloyInstallation, bool> keep, CancellationToken cancellationToken);

    /// <summary>The listing in flight for one environment and the one queued behind it; guarded by the coalescer's gate.</summary>
    private sealed class Flight(InstallationListingCoalescer owner, AlloyEnvironment environment, TimeSpan gather)
    {
        private DateTimeOffset _nextAskedAt;

        private Task<Result<IReadOnlyList<AlloyInstallation>>>? _current;
        private TaskCompletionSource<Result<IReadOnlyList<AlloyInstallation>>>? _next;
        private Fetch? _nextFetch;

        /// <summary>The users whose callers wait for the queued listing; null once one of them wants the whole account.</summary>
        private HashSet<string>? _nextUsers;

        public Task<Result<IReadOnlyList<AlloyInstallation>>> Join(string? userId, Fetch fetch)
        {
            if (_current is null)
            {
                _current = RunAsync(fetch, Keep(userId is null ? null : new HashSet<string>(StringComparer.Ordinal) { userId }), owner._time.GetUtcNow() + gather);
                return _current;
            }

            // In flight, started before this caller asked: wait for the next one, which starts after it.
            if (_next is null)
            {
                _next = new TaskCompletionSource<Result<IReadOnlyList<AlloyInstallation>>>(TaskCreationOptions.RunContinuationsAsynchronously);
                _nextFetch = fetch;
                _nextAskedAt = owner._time.GetUtcNow();
                _nextUsers = userId is null ? null : new HashSet<string>(StringComparer.Ordinal) { userId };
            }
            else if (userId is null)
            {
                _nextUsers = null;
            }
            else
            {
                _nextUsers?.Add(userId);
            }

            return _next.Task;
        }

        private async Task<Result<IReadOnlyList<AlloyInstallation>>> RunAsync(Fetch fetch, Func<AlloyInstallation, bool> keep, DateTimeOffset startAt)
        {
            await Task.Yield(); // never run the call under the gate
            try
            {
                var wait = startAt - owner._time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, owner._time);
                }

                return await fetch(keep, CancellationToken.None);
            }
            finally
            {
                Promote();
            }
        }

        /// <summary>The current listing ended: the queued one (if any) becomes current and starts now; its users are final.</summary>
        private void Promote()
        {
            TaskCompletionSource<Result<IReadOnlyList<AlloyInstallation>>>? waiting;
            Fetch? fetch;
            lock (owner._gate)
            {
                waiting = _next;
                fetch = _nextFetch;
                var users = _nextUsers;
                _next = null;
                _nextFetch = null;
                _nextUsers = null;
                _current = waiting is null || fetch is null ? null : RunAsync(fetch, Keep(users), _nextAskedAt + gather);
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
