using IntegrationHub.Infrastructure.Jobs;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Infrastructure.UnitTests.Jobs;

public sealed class ProvisioningDrainTests
{
    [Fact]
    public void TryClaim_WhenARunIsQueuedAndNotStarted_ShouldRefuseTheNextRequest()
    {
        // Arrange
        var drain = new ProvisioningDrain(new FakeTimeProvider());
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
        var drain = new ProvisioningDrain(new FakeTimeProvider());
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
        var drain = new ProvisioningDrain(time);
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
        var drain = new ProvisioningDrain(new FakeTimeProvider());
        drain.TryClaim().ShouldBeTrue();

        // Act
        drain.Abandon();

        // Assert
        drain.TryClaim().ShouldBeTrue();
    }
}
