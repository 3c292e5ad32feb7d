using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Domain.Common;

namespace IntegrationHub.Infrastructure.UnitTests.TestSupport;

/// <summary>
/// An <see cref="IAlloyClient"/> whose token minting is scripted by the test and whose integration list is counted;
/// the other calls are not used by the code under test and fail loudly if they are.
/// </summary>
internal sealed class FakeAlloyClient : IAlloyClient
{
    private int _tokenCalls;
    private int _integrationCalls;

    /// <summary>What a token call does; by default it mints a distinct token per call.</summary>
    public Func<string, int, CancellationToken, Task<Result<string>>> OnCreateUserToken { get; set; } =
        (userId, call, _) => Task.FromResult(Result<string>.Success($"token-{userId}-{call}"));

    public int TokenCalls => Volatile.Read(ref _tokenCalls);

    public int IntegrationCalls => Volatile.Read(ref _integrationCalls);

    public List<CancellationToken> TokenCallTokens { get; } = [];

    public Task<Result<string>> CreateUserTokenAsync(string userId, CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _tokenCalls);
        lock (TokenCallTokens)
        {
            TokenCallTokens.Add(cancellationToken);
        }

        return OnCreateUserToken(userId, call, cancellationToken);
    }

    public Task<Result<string>> CreateUserAsync(string username, string fullName, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<Result<AlloyBatchResult>> CreateUsersAsync(IReadOnlyList<(string Username, string FullName)> users, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<Result<AlloyUser?>> FindUserAsync(string userIdOrUsername, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<Result> DeleteUserAsync(string userId, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<Result> DeleteUserLogsAsync(string userId, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<Result<IReadOnlyList<AlloyUser>>> ListUsersAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<Result<IReadOnlyList<AlloyIntegration>>> ListIntegrationsAsync(string userId, CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _integrationCalls);
        IReadOnlyList<AlloyIntegration> integrations = [new($"integration-{call}", "Slack", null, null, Installed: false, [])];
        return Task.FromResult(Result<IReadOnlyList<AlloyIntegration>>.Success(integrations));
    }

    public Task<Result<IReadOnlyList<AlloyInstallation>>> ListInstallationsAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<Result<IReadOnlyList<AlloyCustomEvent>>> ListEventsAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<Result> RunEventAsync(string userId, string eventName, string dataJson, CancellationToken cancellationToken) =>
        throw new NotSupportedException();
}
