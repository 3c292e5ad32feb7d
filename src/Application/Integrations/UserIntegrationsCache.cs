using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Common;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Application.Integrations;

/// <summary>
/// Alloy's integrations for one user, cached briefly (the install flags change only on install) for
/// <c>Alloy:IntegrationsCacheDuration</c>; zero asks Alloy every time.
/// </summary>
public sealed class UserIntegrationsCache(IAlloyClient alloy, HybridCache cache, IOptionsMonitor<HubAlloyOptions> options)
{
    public async Task<Result<IReadOnlyList<AlloyIntegration>>> ListAsync(AlloyEnvironment environment, string userId, CancellationToken cancellationToken)
    {
        var duration = options.CurrentValue.IntegrationsCacheDuration;
        if (duration <= TimeSpan.Zero)
        {
            return await alloy.ListIntegrationsAsync(userId, cancellationToken);
        }

        var key = Key(environment, userId);
        var cached = await cache.GetOrCreateAsync(
            key,
            (alloy, userId),
            static async (state, ct) =>
            {
                var result = await state.alloy.ListIntegrationsAsync(state.userId, ct);
                // Failures are not cached: a null entry is removed below.
                return result.IsSuccess ? result.Value.ToArray() : null;
            },
            new HybridCacheEntryOptions { Expiration = duration, LocalCacheExpiration = duration },
            cancellationToken: cancellationToken);
        if (cached is not null)
        {
            return cached;
        }

        await cache.RemoveAsync(key, cancellationToken);
        return await alloy.ListIntegrationsAsync(userId, cancellationToken);
    }

    public ValueTask InvalidateAsync(AlloyEnvironment environment, string userId, CancellationToken cancellationToken) =>
        cache.RemoveAsync(Key(environment, userId), cancellationToken);

    private static string Key(AlloyEnvironment environment, string userId) => $"alloy:integrations:{environment}:{userId}";
}
