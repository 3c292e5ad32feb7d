using IntegrationHub.Application.OutboundWebhooks;

namespace IntegrationHub.Application.UnitTests.OutboundWebhooks;

public sealed class WebhookEndpointConcurrencyTests
{
    private readonly WebhookEndpointConcurrency _concurrency = new();
    private readonly List<long> _resumed = [];

    [Fact]
    public void TryEnter_WhenTheEndpointHasItsLimitInFlight_ShouldRefuseAndResumeTheWaitersInOrderAsSlotsFree()
    {
        // Arrange: two slots taken on "ep_a".
        var first = _concurrency.TryEnter("ep_a", 1, 2, _resumed.Add);
        var second = _concurrency.TryEnter("ep_a", 2, 2, _resumed.Add);

        // Act
        var third = _concurrency.TryEnter("ep_a", 3, 2, _resumed.Add);
        var fourth = _concurrency.TryEnter("ep_a", 4, 2, _resumed.Add);
        var again = _concurrency.TryEnter("ep_a", 3, 2, _resumed.Add);
        first!.Dispose();
        first.Dispose();

        // Assert
        second.ShouldNotBeNull();
        third.ShouldBeNull();
        fourth.ShouldBeNull();
        again.ShouldBeNull();
        _resumed.ShouldBe([3]);
        _concurrency.Load("ep_a").ShouldBe((1, 1));
    }

    [Fact]
    public void TryEnter_WhenAnotherEndpointIsFull_ShouldStillGiveASlot()
    {
        // Arrange
        using var busy = _concurrency.TryEnter("ep_slow", 1, 1, _resumed.Add);
        _concurrency.TryEnter("ep_slow", 2, 1, _resumed.Add).ShouldBeNull();

        // Act
        using var other = _concurrency.TryEnter("ep_fast", 3, 1, _resumed.Add);

        // Assert
        other.ShouldNotBeNull();
        _concurrency.Load("ep_fast").ShouldBe((1, 0));
    }

    [Fact]
    public void Dispose_WhenTheLastSlotIsReleasedWithNobodyWaiting_ShouldForgetTheEndpoint()
    {
        // Arrange
        var slot = _concurrency.TryEnter("ep_a", 1, 1, _resumed.Add);

        // Act
        slot!.Dispose();

        // Assert
        _concurrency.Load("ep_a").ShouldBe((0, 0));
        _resumed.ShouldBeEmpty();
    }
}
