using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Domain.AlloyAccounts;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.Events;

/// <summary>What the hub knows about an event name.</summary>
public enum EventNameCheck
{
    Known,
    Unknown,

    /// <summary>Alloy could not be asked and nothing is cached: the name is accepted, and Alloy's answer at delivery decides.</summary>
    Unverified,
}

/// <summary>
/// The Alloy account's custom event names (Alloy's <c>GET /events</c>, E1) per environment, kept for
/// <c>Events:CatalogCacheDuration</c> and read again when a name is not in it (at most once per
/// <see cref="MinRefreshInterval"/>, so a stream of unknown names does not become a stream of calls to Alloy).
/// </summary>
public sealed class EventCatalog(IOptionsMonitor<EventsOptions> options, TimeProvider time) : IDisposable
{
    /// <summary>The shortest time between two reads of the list caused by unknown names.</summary>
    public static readonly TimeSpan MinRefreshInterval = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private readonly Dictionary<AlloyEnvironment, Snapshot> _snapshots = [];
    private readonly SemaphoreSlim _refresh = new(1, 1);

    /// <summary>Whether <paramref name="name"/> is one of the account's custom events, and the names known.</summary>
    public async Task<(EventNameCheck Check, IReadOnlyCollection<string> Known)> CheckAsync(
        IAlloyClient alloy, AlloyEnvironment environment, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alloy);
        var snapshot = Current(environment);
        var now = time.GetUtcNow();
        if (snapshot is not null && snapshot.Names.Contains(name) && now - snapshot.ReadAt < options.CurrentValue.CatalogCacheDuration)
        {
            return (EventNameCheck.Known, snapshot.Names);
        }

        if (snapshot is null || now - snapshot.ReadAt >= MinRefreshInterval)
        {
            snapshot = await RefreshAsync(alloy, environment, snapshot, cancellationToken) ?? snapshot;
        }

        if (snapshot is null)
        {
            return (EventNameCheck.Unverified, []);
        }

        return (snapshot.Names.Contains(name) ? EventNameCheck.Known : EventNameCheck.Unknown, snapshot.Names);
    }

    public void Dispose() => _refresh.Dispose();

    private Snapshot? Current(AlloyEnvironment environment)
    {
        lock (_gate)
        {
            return _snapshots.GetValueOrDefault(environment);
        }
    }

    /// <summary>One read at a time; a caller that waited for another's read uses it.</summary>
    private async Task<Snapshot?> RefreshAsync(IAlloyClient alloy, AlloyEnvironment environment, Snapshot? seen, CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            var current = Current(environment);
            if (!ReferenceEquals(current, seen) && current is not null)
            {
                return current;
            }

            var listed = await alloy.ListEventsAsync(cancellationToken);
            if (!listed.IsSuccess)
            {
                return null;
            }

            var fresh = new Snapshot(listed.Value.Select(e => e.Name).ToHashSet(StringComparer.Ordinal), time.GetUtcNow());
            lock (_gate)
            {
                _snapshots[environment] = fresh;
            }

            return fresh;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private sealed record Snapshot(HashSet<string> Names, DateTimeOffset ReadAt);
}
