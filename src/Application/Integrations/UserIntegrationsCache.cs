using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Common;
using Microsoft.Extensions.Caching.Hybrid;

namespace IntegrationHub.Application.Integrations;

/// <summary>Alloy's integrations for one user, cached briefly (the install flags change only on install).</summary>
public sealed class UserIntegrationsCache(IAlloyClient alloy, HybridCache cache)
{
    private static readonly HybridCacheEntryOptions EntryOptions = new()
    {
        Expiration = TimeSpan.FromSeconds(30),
        LocalCacheExpiration = TimeSpan.FromSeconds(30),
    };

    public async Task<Result<IReadOnlyList<AlloyIntegration>>> ListAsync(AlloyEnvironment environment, string userId, CancellationToken cancellationToken)
    {
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
            EntryOptions,
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
