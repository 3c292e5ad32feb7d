using System.Collections.Concurrent;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Infrastructure.Tokens;

/// <summary>
/// Single flight plus a short reuse window, per (environment, user). A burst of requests for one tenant makes
/// one upstream call; the upstream call is not cancelled by any one caller giving up. Per process by design:
/// correctness never depends on it (each instance simply mints its own tokens).
/// </summary>
public sealed class ModalTokenIssuer(IServiceScopeFactory scopes, IOptionsMonitor<TokenOptions> options, TimeProvider time)
    : IModalTokenIssuer
{
    private const int SweepThreshold = 10_000;

    private readonly ConcurrentDictionary<(AlloyEnvironment, string), Lazy<Task<Result<ModalToken>>>> _inFlight = new();
    private readonly ConcurrentDictionary<(AlloyEnvironment, string), CachedToken> _recent = new();

    public async Task<Result<ModalToken>> GetTokenAsync(AlloyEnvironment environment, string userId, CancellationToken cancellationToken)
    {
        var key = (environment, userId);
        var settings = options.CurrentValue;
        if (settings.ReuseWindow > TimeSpan.Zero && _recent.TryGetValue(key, out var cached) && cached.IsReusable(time.GetUtcNow(), settings))
        {
            return cached.Token;
        }

        var flight = _inFlight.GetOrAdd(key, k => new Lazy<Task<Result<ModalToken>>>(() => MintAsync(k)));
        return await flight.Value.WaitAsync(cancellationToken);
    }

    private async Task<Result<ModalToken>> MintAsync((AlloyEnvironment Environment, string UserId) key)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var alloy = scope.ServiceProvider.GetRequiredService<IAlloyClient>();
            var minted = await alloy.CreateUserTokenAsync(key.UserId, CancellationToken.None);
            if (!minted.IsSuccess)
            {
                return minted.Error;
            }

            var settings = options.CurrentValue;
            var now = time.GetUtcNow();
            var token = new ModalToken(minted.Value, JwtExpiry.TryRead(minted.Value) ?? now + settings.DefaultLifetime);
            if (settings.ReuseWindow > TimeSpan.Zero)
            {
                _recent[key] = new CachedToken(token, now);
                SweepIfLarge(now, settings);
            }

            return token;
        }
        finally
        {
            _inFlight.TryRemove(key, out _);
        }
    }

    private void SweepIfLarge(DateTimeOffset now, TokenOptions settings)
    {
        if (_recent.Count < SweepThreshold)
        {
            return;
        }

        foreach (var (key, entry) in _recent)
        {
            if (!entry.IsReusable(now, settings))
            {
                _recent.TryRemove(key, out _);
            }
        }
    }

    private sealed record CachedToken(ModalToken Token, DateTimeOffset MintedAt)
    {
        public bool IsReusable(DateTimeOffset now, TokenOptions settings) =>
            now < MintedAt + settings.ReuseWindow && now < Token.ExpiresAt - settings.ExpirySafetyMargin;
    }
}
