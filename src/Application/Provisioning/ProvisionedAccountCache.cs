using System.Collections.Concurrent;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Tenants;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.Provisioning;

/// <summary>
/// Which tenants' accounts this process knows to be provisioned, for <see cref="ProvisioningOptions.AccountCacheDuration"/>:
/// the token endpoint's hit path then makes no database read. Only <c>Provisioned</c> accounts are remembered (every other
/// state is read afresh), as detached snapshots nobody mutates. Every save that changes or deletes an account forgets it
/// (the persistence layer calls <see cref="Forget"/> before and after the save); an instance that did not make the change
/// sees it within the duration.
/// </summary>
public sealed class ProvisionedAccountCache(IOptionsMonitor<ProvisioningOptions> options, TimeProvider time)
{
    private const int SweepThreshold = 10_000;

    private readonly ConcurrentDictionary<(TenantId, AlloyEnvironment), Entry> _entries = new();
    private long _nextSweepTicks;

    public int Count => _entries.Count;

    public bool TryGet(TenantId tenantId, AlloyEnvironment environment, out AlloyAccount account)
    {
        if (_entries.TryGetValue((tenantId, environment), out var entry) && time.GetUtcNow() < entry.Expires)
        {
            account = entry.Account;
            return true;
        }

        account = null!;
        return false;
    }

    public void Remember(AlloyAccount account)
    {
        var duration = options.CurrentValue.AccountCacheDuration;
        if (duration <= TimeSpan.Zero || account.State != ProvisioningState.Provisioned)
        {
            return;
        }

        var now = time.GetUtcNow();
        _entries[(account.TenantId, account.Environment)] = new Entry(account, now + duration);
        // Expired entries go in a sweep, at most once per duration, once there are many.
        if (_entries.Count >= SweepThreshold && now.UtcTicks >= Interlocked.Read(ref _nextSweepTicks))
        {
            Interlocked.Exchange(ref _nextSweepTicks, (now + duration).UtcTicks);
            foreach (var (key, entry) in _entries)
            {
                if (entry.Expires <= now)
                {
                    _entries.TryRemove(key, out _);
                }
            }
        }
    }

    public void Forget(TenantId tenantId, AlloyEnvironment environment) => _entries.TryRemove((tenantId, environment), out _);

    private sealed record Entry(AlloyAccount Account, DateTimeOffset Expires);
}
