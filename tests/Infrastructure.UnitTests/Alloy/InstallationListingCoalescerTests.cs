using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Common;
using IntegrationHub.Infrastructure.Alloy;
using IntegrationHub.TestSupport;

namespace IntegrationHub.Infrastructure.UnitTests.Alloy;

public sealed class InstallationListingCoalescerTests
{
    private readonly HubAlloyOptions _options = new() { InstallationListingGather = TimeSpan.Zero };
    private int _calls;

    [Fact]
    public async Task ListAsync_WhenCallersAskWhileAListingIsInFlight_ShouldShareTheNextListingWhichStartsAfterThem()
    {
        // Arrange: a first listing in flight.
        var coalescer = NewCoalescer();
        var first = new TaskCompletionSource<Result<IReadOnlyList<AlloyInstallation>>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = new TaskCompletionSource<Result<IReadOnlyList<AlloyInstallation>>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var early = coalescer.ListAsync(_ => Fetch(first.Task), CancellationToken.None);
        await Poll.UntilAsync(() => Volatile.Read(ref _calls) == 1, "the first call to start");

        // Act: later callers ask while it is in flight; it ends; the next one answers them.
        var late = Enumerable.Range(0, 20).Select(_ => coalescer.ListAsync(_ => Fetch(second.Task), CancellationToken.None)).ToList();
        first.SetResult(Listing("before"));
        await Poll.UntilAsync(() => Volatile.Read(ref _calls) == 2, "the next call to start once the first ended");
        second.SetResult(Listing("after"));
        var answers = await Task.WhenAll(late);

        // Assert
        (await early).Value.Single().InstallationId.ShouldBe("before");
        answers.ShouldAllBe(r => r.IsSuccess && r.Value.Single().InstallationId == "after");
        _calls.ShouldBe(2);
    }

    [Fact]
    public async Task ListAsync_AfterAListingCompleted_ShouldNeverReuseIt()
    {
        // Arrange
        var coalescer = NewCoalescer();
        await coalescer.ListAsync(_ => Fetch(Task.FromResult(Listing("old"))), CancellationToken.None);

        // Act
        var next = await coalescer.ListAsync(_ => Fetch(Task.FromResult(Listing("new"))), CancellationToken.None);

        // Assert
        next.Value.Single().InstallationId.ShouldBe("new");
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
    public async Task ListAsync_WhenCoalescingIsOff_ShouldCallEveryTime()
    {
        // Arrange
        _options.CoalesceInstallationListings = false;
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
    public async Task ListAsync_WhenTheCallerThatStartedAListingIsCancelled_ShouldLeaveTheCallsRunningForTheOthers()
    {
        // Arrange: the cancelled caller starts a listing; another asks meanwhile and waits for the next one.
        var coalescer = NewCoalescer();
        var gate = new TaskCompletionSource<Result<IReadOnlyList<AlloyInstallation>>>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancelled = new CancellationTokenSource();
        var first = coalescer.ListAsync(_ => Fetch(gate.Task), cancelled.Token);
        await Poll.UntilAsync(() => Volatile.Read(ref _calls) == 1, "the first call to start");
        var second = coalescer.ListAsync(_ => Fetch(gate.Task), CancellationToken.None);

        // Act
        await cancelled.CancelAsync();
        gate.SetResult(Listing("i1"));

        // Assert
        await Should.ThrowAsync<OperationCanceledException>(() => first);
        (await second).Value.Single().InstallationId.ShouldBe("i1");
        _calls.ShouldBe(2);
    }

    [Fact]
    public async Task ListForUserAsync_WhenUsersShareAListing_ShouldKeepOnlyTheirEntriesAndAnswerEachItsOwn()
    {
        // Arrange: a first listing in flight; three users then wait for the next one.
        var coalescer = NewCoalescer();
        var account = Enumerable.Range(0, 100).Select(n => new AlloyInstallation($"i-{n}", "int", $"u-{n % 10}", true, null)).ToList();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var keptCounts = new List<int>();
        Task<Result<IReadOnlyList<AlloyInstallation>>> Fetch(Func<AlloyInstallation, bool> keep)
        {
            Interlocked.Increment(ref _calls);
            return ListAfterGateAsync();

            async Task<Result<IReadOnlyList<AlloyInstallation>>> ListAfterGateAsync()
            {
                await gate.Task;
                var kept = account.Where(keep).ToList();
                lock (keptCounts)
                {
                    keptCounts.Add(kept.Count);
                }

                return kept;
            }
        }

        var first = coalescer.ListForUserAsync("u-0", (keep, _) => Fetch(keep), CancellationToken.None);
        await Poll.UntilAsync(() => Volatile.Read(ref _calls) == 1, "the first call to start");

        // Act
        var later = new[] { "u-1", "u-2", "u-2" }.Select(u => coalescer.ListForUserAsync(u, (keep, _) => Fetch(keep), CancellationToken.None)).ToList();
        gate.SetResult();
        var answers = await Task.WhenAll(later);

        // Assert
        (await first).Value.Select(i => i.UserId).Distinct().ShouldBe(["u-0"]);
        answers[0].Value.Count.ShouldBe(10);
        answers[0].Value.ShouldAllBe(i => i.UserId == "u-1");
        answers[1].Value.ShouldAllBe(i => i.UserId == "u-2");
        answers[2].Value.Count.ShouldBe(10);
        _calls.ShouldBe(2);
        keptCounts.ShouldBe([10, 20]); // each call kept only the waiting users' entries, never the account's 100
    }

    private InstallationListingCoalescer NewCoalescer() => new(new TestOptionsMonitor<HubAlloyOptions>(_options), TimeProvider.System);

    private Task<Result<IReadOnlyList<AlloyInstallation>>> Fetch(Task<Result<IReadOnlyList<AlloyInstallation>>> answer)
    {
        Interlocked.Increment(ref _calls);
        return answer;
    }

    private static Result<IReadOnlyList<AlloyInstallation>> Listing(string installationId) =>
        Result<IReadOnlyList<AlloyInstallation>>.Success([new AlloyInstallation(installationId, "integration", "user", true, null)]);
}
