using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Common;
using IntegrationHub.Infrastructure.Alloy;
using IntegrationHub.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Infrastructure.UnitTests.Alloy;

public sealed class InstallationListingCoalescerTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(2);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    private readonly HubAlloyOptions _options = new() { InstallationsListingReuseWindow = Window };
    private int _calls;

    [Fact]
    public async Task ListAsync_WhenCallersAskWhileAListingIsInFlight_ShouldMakeOneCall()
    {
        // Arrange
        var coalescer = NewCoalescer();
        var gate = new TaskCompletionSource<Result<IReadOnlyList<AlloyInstallation>>>(TaskCreationOptions.RunContinuationsAsynchronously);

        // Act
        var callers = Enumerable.Range(0, 50).Select(_ => coalescer.ListAsync(_ => Fetch(gate.Task), CancellationToken.None)).ToList();
        await Poll.UntilAsync(() => Volatile.Read(ref _calls) == 1, "the first call to start");
        gate.SetResult(Listing("i1"));
        var results = await Task.WhenAll(callers);

        // Assert
        _calls.ShouldBe(1);
        results.ShouldAllBe(r => r.IsSuccess && r.Value.Single().InstallationId == "i1");
    }

    [Fact]
    public async Task ListAsync_WithinTheWindowAfterASuccess_ShouldReuseItAndAfterTheWindowCallAgain()
    {
        // Arrange
        var coalescer = NewCoalescer();
        await coalescer.ListAsync(_ => Fetch(Task.FromResult(Listing("old"))), CancellationToken.None);

        // Act
        _time.Advance(Window - TimeSpan.FromMilliseconds(1));
        var reused = await coalescer.ListAsync(_ => Fetch(Task.FromResult(Listing("new"))), CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var fresh = await coalescer.ListAsync(_ => Fetch(Task.FromResult(Listing("new"))), CancellationToken.None);

        // Assert
        reused.Value.Single().InstallationId.ShouldBe("old");
        fresh.Value.Single().InstallationId.ShouldBe("new");
        _calls.ShouldBe(2);
    }

    [Fact]
    public async Task ListAsync_AfterAFailure_ShouldNotReuseIt()
    {
        // Arrange
        var coalescer = NewCoalescer();
        var failed = await coalescer.ListAsync(_ => Fetch(Task.FromResult<Result<IReadOnlyList<AlloyInstallation>>>(AlloyErrors.Unavailable("down"))), CancellationToken.None);

        // Act
        var next = await coalescer.ListAsync(_ => Fetch(Task.FromResult(Listing("i1"))), CancellationToken.None);

        // Assert
        failed.IsSuccess.ShouldBeFalse();
        next.IsSuccess.ShouldBeTrue();
        _calls.ShouldBe(2);
    }

    [Fact]
    public async Task ListAsync_WhenTheWindowIsZero_ShouldCallEveryTime()
    {
        // Arrange
        _options.InstallationsListingReuseWindow = TimeSpan.Zero;
        var coalescer = NewCoalescer();

        // Act
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => coalescer.ListAsync(_ => Fetch(Task.FromResult(Listing("i1"))), CancellationToken.None)));

        // Assert
        _calls.ShouldBe(3);
    }

    [Fact]
    public async Task ListAsync_WhenEnvironmentsDiffer_ShouldNotShareAListing()
    {
        // Arrange
        var coalescer = NewCoalescer();
        await coalescer.ListAsync(_ => Fetch(Task.FromResult(Listing("dev"))), CancellationToken.None);

        // Act
        _options.Environment = AlloyEnvironment.Production;
        var production = await coalescer.ListAsync(_ => Fetch(Task.FromResult(Listing("prod"))), CancellationToken.None);

        // Assert
        production.Value.Single().InstallationId.ShouldBe("prod");
        _calls.ShouldBe(2);
    }

    [Fact]
    public async Task ListAsync_WhenAWaitingCallerIsCancelled_ShouldLeaveTheSharedCallRunningForTheOthers()
    {
        // Arrange
        var coalescer = NewCoalescer();
        var gate = new TaskCompletionSource<Result<IReadOnlyList<AlloyInstallation>>>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancelled = new CancellationTokenSource();
        var first = coalescer.ListAsync(_ => Fetch(gate.Task), cancelled.Token);
        var second = coalescer.ListAsync(_ => Fetch(gate.Task), CancellationToken.None);

        // Act
        await cancelled.CancelAsync();
        gate.SetResult(Listing("i1"));

        // Assert
        await Should.ThrowAsync<OperationCanceledException>(() => first);
        (await second).Value.Single().InstallationId.ShouldBe("i1");
        _calls.ShouldBe(1);
    }

    private InstallationListingCoalescer NewCoalescer() => new(new TestOptionsMonitor<HubAlloyOptions>(_options), _time);

    private Task<Result<IReadOnlyList<AlloyInstallation>>> Fetch(Task<Result<IReadOnlyList<AlloyInstallation>>> answer)
    {
        Interlocked.Increment(ref _calls);
        return answer;
    }

    private static Result<IReadOnlyList<AlloyInstallation>> Listing(string installationId) =>
        Result<IReadOnlyList<AlloyInstallation>>.Success([new AlloyInstallation(installationId, "integration", "user", true, null)]);
}
