using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Common;

namespace IntegrationHub.Application.Common.Interfaces;

/// <summary>
/// Mints Alloy modal tokens: concurrent requests for one user share one upstream call, and a minted token may
/// be handed out again for a short window (never close to its expiry).
/// </summary>
public interface IModalTokenIssuer
{
    Task<Result<ModalToken>> GetTokenAsync(AlloyEnvironment environment, string userId, CancellationToken cancellationToken);
}

public sealed record ModalToken(string Token, DateTimeOffset ExpiresAt);
