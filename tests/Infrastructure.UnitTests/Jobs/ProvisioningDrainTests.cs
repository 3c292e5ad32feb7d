using IntegrationHub.Infrastructure.Jobs;
using IntegrationHub.Application.Common.Options;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Infrastructure.UnitTests.Jobs;

public sealed class ProvisioningDrainTests
{
    private static readonly IOptions<ProvisioningOptions> Defaults = Options.Create(new ProvisioningOptions());

    [Fact]
    public void TryClaim_WhenARunIsQueuedAndNotStarted_ShouldRefuseTheNextRequest()
    {
        // Arrange
        using var drain = new ProvisioningDrain(new FakeTimeProvider(), Defaults);
        drain.TryClaim().ShouldBeTrue();

        // Act
        var second = drain.TryClaim();

        // Assert
        second.ShouldBeFalse();
    }

    [Fact]
    public void TryClaim_WhenTheQueuedRunHasStarted_ShouldQueueTheNext()
    {
        // Arrange
        using var drain = new ProvisioningDrain(new FakeTimeProvider(), Defaults);
        drain.TryClaim().ShouldBeTrue();

        // Act
        drain.Started();

        // Assert
        drain.TryClaim().ShouldBeTrue();
        drain.TryClaim().ShouldBeFalse();
    }

    [Fact]
    public void TryClaim_WhenTheQueuedRunHasNotStartedHereForLongerThanStaleAfter_ShouldQueueAnother()
    {
        // Arrange: another process took the run, so this one never sees it start.
        var time = new FakeTimeProvider();
        using var drain = new ProvisioningDrain(time, Defaults);
        drain.TryClaim().ShouldBeTrue();
        time.Advance(ProvisioningDrain.StaleAfter - TimeSpan.FromMilliseconds(1));
        drain.TryClaim().ShouldBeFalse();

        // Act
        time.Advance(TimeSpan.FromMilliseconds(1));

        // Assert
        drain.TryClaim().ShouldBeTrue();
    }

    [Fact]
    public void TryClaim_WhenQueuingFailed_ShouldLetTheNextRequestTryAgain()
    {
        // Arrange
        using var drain = new ProvisioningDrain(new FakeTimeProvider(), Defaults);
        drain.TryClaim().ShouldBeTrue();

        // Act
        drain.Abandon();

        // Assert
        drain.TryClaim().ShouldBeTrue();
    }

    [Fact]
    public async Task StartAsync_WhenEveryRunSlotIsBusy_ShouldWaitAndStayQueuedUntilOneEnds()
    {
        // Arrange: one slot, taken by a running drain; a second run was queued behind it.
        using var drain = new ProvisioningDrain(new FakeTimeProvider(), Options.Create(new ProvisioningOptions { MaxConcurrentDrains = 1 }));
        drain.TryClaim().ShouldBeTrue();
        var first = await drain.StartAsync(TestContext.Current.CancellationToken);
        drain.TryClaim().ShouldBeTrue();

        // Act
        var second = drain.StartAsync(TestContext.Current.CancellationToken);

        // Assert: the second waits, and while it waits it still counts as queued (it has not read the rows yet).
        second.IsCompleted.ShouldBeFalse();
        drain.TryClaim().ShouldBeFalse();
        first.Dispose();
        using var started = await second.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        drain.TryClaim().ShouldBeTrue();
    }

    [Fact]
    public async Task StartAsync_WhenASlotIsDisposedTwice_ShouldReleaseItOnce()
    {
        // Arrange
        using var drain = new ProvisioningDrain(new FakeTimeProvider(), Options.Create(new ProvisioningOptions { MaxConcurrentDrains = 1 }));
        var first = await drain.StartAsync(TestContext.Current.CancellationToken);
        first.Dispose();
        first.Dispose();
        using var second = await drain.StartAsync(TestContext.Current.CancellationToken);

        // Act
        var third = drain.StartAsync(TestContext.Current.CancellationToken);

        // Assert: one slot only, held by the second run.
        third.IsCompleted.ShouldBeFalse();
        second.Dispose();
        using var thirdSlot = await third.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task StartAsync_WhenBatchingIsOff_ShouldNotLimitTheRuns()
    {
        // Arrange: without batching each run sends one account at a time; a limit would cap Alloy calls in flight.
        using var drain = new ProvisioningDrain(new FakeTimeProvider(), Options.Create(new ProvisioningOptions { BatchEnabled = false, MaxConcurrentDrains = 1 }));
        using var first = await drain.StartAsync(TestContext.Current.CancellationToken);

        // Act
        var second = drain.StartAsync(TestContext.Current.CancellationToken);

        // Assert
        second.IsCompleted.ShouldBeTrue();
        (await second).Dispose();
    }
}
