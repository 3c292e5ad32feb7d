using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Application.Events;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Common;
using IntegrationHub.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Application.UnitTests.Events;

public sealed class EventCatalogTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    private readonly EventCatalog _catalog;
    private readonly ListingAlloy _alloy = new();

    public EventCatalogTests() =>
        _catalog = new EventCatalog(new TestOptionsMonitor<EventsOptions>(new EventsOptions { CatalogCacheDuration = TimeSpan.FromMinutes(5) }), _time);

    public void Dispose() => _catalog.Dispose();

    [Fact]
    public async Task CheckAsync_ShouldAskAlloyOnceAndAnswerKnownNamesFromTheCache()
    {
        // Arrange
        _alloy.Names = ["ticket.created", "invoice.paid"];

        // Act
        var first = await _catalog.CheckAsync(_alloy, AlloyEnvironment.Development, "ticket.created", CancellationToken.None);
        var second = await _catalog.CheckAsync(_alloy, AlloyEnvironment.Development, "invoice.paid", CancellationToken.None);

        // Assert
        first.Check.ShouldBe(EventNameCheck.Known);
        second.Check.ShouldBe(EventNameCheck.Known);
        _alloy.Calls.ShouldBe(1);
    }

    [Fact]
    public async Task CheckAsync_ForAnUnknownName_ShouldReadAgainAtMostEveryMinRefreshInterval()
    {
        // Arrange
        _alloy.Names = ["ticket.created"];
        await _catalog.CheckAsync(_alloy, AlloyEnvironment.Development, "ticket.created", CancellationToken.None);

        // Act
        var unknown = await _catalog.CheckAsync(_alloy, AlloyEnvironment.Development, "nope", CancellationToken.None);
        var callsRightAfter = _alloy.Calls;
        _alloy.Names = ["ticket.created", "nope"];
        _time.Advance(EventCatalog.MinRefreshInterval);
        var learned = await _catalog.CheckAsync(_alloy, AlloyEnvironment.Development, "nope", CancellationToken.None);

        // Assert
        unknown.Check.ShouldBe(EventNameCheck.Unknown);
        unknown.Known.ShouldBe(["ticket.created"]);
        callsRightAfter.ShouldBe(1);
        learned.Check.ShouldBe(EventNameCheck.Known);
        _alloy.Calls.ShouldBe(2);
    }

    [Fact]
    public async Task CheckAsync_WhenAlloyCannotBeAskedAndNothingIsCached_ShouldAnswerUnverified()
    {
        // Arrange
        _alloy.Fail = true;

        // Act
        var result = await _catalog.CheckAsync(_alloy, AlloyEnvironment.Production, "ticket.created", CancellationToken.None);

        // Assert
        result.Check.ShouldBe(EventNameCheck.Unverified);
    }

    [Fact]
    public async Task CheckAsync_ShouldKeepOneListPerEnvironment()
    {
        // Arrange
        _alloy.Names = ["ticket.created"];
        await _catalog.CheckAsync(_alloy, AlloyEnvironment.Development, "ticket.created", CancellationToken.None);

        // Act
        await _catalog.CheckAsync(_alloy, AlloyEnvironment.Production, "ticket.created", CancellationToken.None);

        // Assert
        _alloy.Calls.ShouldBe(2);
    }

    /// <summary>Answers only the event listing; the catalog calls nothing else.</summary>
    private sealed class ListingAlloy : IAlloyClient
    {
        public IReadOnlyList<string> Names { get; set; } = [];

        public bool Fail { get; set; }

        public int Calls { get; private set; }

        public Task<Result<IReadOnlyList<AlloyCustomEvent>>> ListEventsAsync(CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(Fail
                ? Result<IReadOnlyList<AlloyCustomEvent>>.Failure(AlloyErrors.Unavailable("down"))
                : Result<IReadOnlyList<AlloyCustomEvent>>.Success(Names.Select(n => new AlloyCustomEvent(n, null, null)).ToList()));
        }

        public Task<Result<string>> CreateUserAsync(string username, string fullName, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<Result<AlloyBatchResult>> CreateUsersAsync(IReadOnlyList<(string Username, string FullName)> users, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<Result<AlloyUser?>> FindUserAsync(string userIdOrUsername, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<Result> DeleteUserAsync(string userId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<Result> DeleteUserLogsAsync(string userId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<Result<IReadOnlyList<AlloyUser>>> ListUsersAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<Result<string>> CreateUserTokenAsync(string userId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<Result<IReadOnlyList<AlloyIntegration>>> ListIntegrationsAsync(string userId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<Result<IReadOnlyList<AlloyInstallation>>> ListInstallationsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<Result> RunEventAsync(string userId, string eventName, string dataJson, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
