using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Events;
using IntegrationHub.Domain.UnitTests.TestData;

namespace IntegrationHub.Domain.UnitTests.Events;

public sealed class TenantEventTests
{
    private static readonly DateTimeOffset Now = DomainFactory.Now;
    private static readonly TimeSpan Lease = DomainFactory.Lease;

    private static TenantEvent NewEvent(bool held = false, string? key = "key-1") =>
        TenantEvent.Accept(DomainFactory.NewTenantId(), "ticket.created", """{"ticketId":"T-1"}""", key, new string('a', 64), held, Now);

    [Fact]
    public void Accept_ShouldGiveAPublicIdAndBeDueAtOnceOrHeld()
    {
        // Act
        var pending = NewEvent();
        var held = NewEvent(held: true);

        // Assert
        pending.EventId.ShouldStartWith(TenantEvent.IdPrefix);
        pending.EventId.Length.ShouldBe(TenantEvent.IdPrefix.Length + 24);
        pending.EventId.ShouldNotBe(held.EventId);
        pending.State.ShouldBe(TenantEventState.Pending);
        pending.IsDue(Now).ShouldBeTrue();
        held.State.ShouldBe(TenantEventState.Held);
        held.IsDue(Now.AddDays(1)).ShouldBeFalse();
    }

    [Fact]
    public void Release_ShouldMakeAHeldEventDueAndLeaveOthersAlone()
    {
        // Arrange
        var held = NewEvent(held: true);
        var delivered = NewEvent();
        delivered.BeginAttempt(Now, Lease);
        delivered.MarkDelivered("user-1", Now);

        // Act
        held.Release(Now.AddSeconds(5));
        delivered.Release(Now.AddSeconds(5));

        // Assert
        held.State.ShouldBe(TenantEventState.Pending);
        held.IsDue(Now.AddSeconds(5)).ShouldBeTrue();
        delivered.State.ShouldBe(TenantEventState.Delivered);
    }

    [Fact]
    public void BeginAttempt_ShouldLeaseTheEventUntilTheLeaseEnds()
    {
        // Arrange
        var e = NewEvent();

        // Act
        e.BeginAttempt(Now, Lease);

        // Assert
        e.Attempts.ShouldBe(1);
        e.IsDue(Now.AddSeconds(1)).ShouldBeFalse();
        e.IsDue(Now + Lease).ShouldBeTrue();
    }

    [Fact]
    public void RecordFailure_ShouldRetryAtTheGivenTimeOrFailWithoutOne()
    {
        // Arrange
        var retried = NewEvent();
        retried.BeginAttempt(Now, Lease);
        var failed = NewEvent();
        failed.BeginAttempt(Now, Lease);

        // Act
        retried.RecordFailure("Alloy answered 503.", Now.AddSeconds(2));
        failed.RecordFailure("Alloy answered 400.", retryAt: null);

        // Assert
        retried.State.ShouldBe(TenantEventState.Pending);
        retried.NextAttemptAt.ShouldBe(Now.AddSeconds(2));
        retried.LastError.ShouldBe("Alloy answered 503.");
        failed.State.ShouldBe(TenantEventState.Failed);
        failed.NextAttemptAt.ShouldBeNull();
    }

    [Fact]
    public void Defer_ShouldGiveTheAttemptBack()
    {
        // Arrange
        var e = NewEvent();
        e.BeginAttempt(Now, Lease);

        // Act
        e.Defer("Alloy API key rejected.", Now.AddMinutes(1));

        // Assert
        e.Attempts.ShouldBe(0);
        e.State.ShouldBe(TenantEventState.Pending);
        e.NextAttemptAt.ShouldBe(Now.AddMinutes(1));
    }

    [Fact]
    public void Replay_ShouldSendAFailedEventAgainFromAttemptZero_AndRefuseAnyOtherState()
    {
        // Arrange
        var failed = NewEvent();
        failed.BeginAttempt(Now, Lease);
        failed.RecordFailure("refused", retryAt: null);
        var pending = NewEvent();

        // Act
        var replayed = failed.Replay(Now.AddHours(1));
        var refused = pending.Replay(Now.AddHours(1));

        // Assert
        replayed.IsSuccess.ShouldBeTrue();
        failed.State.ShouldBe(TenantEventState.Pending);
        failed.Attempts.ShouldBe(0);
        failed.LastError.ShouldBeNull();
        failed.IsDue(Now.AddHours(1)).ShouldBeTrue();
        refused.IsSuccess.ShouldBeFalse();
        refused.Error.Code.ShouldBe("event-not-failed");
    }

    [Fact]
    public void Fail_ShouldEndAnOpenEvent_AndRefuseAFinishedOne()
    {
        // Arrange
        var held = NewEvent(held: true);
        var delivered = NewEvent();
        delivered.BeginAttempt(Now, Lease);
        delivered.MarkDelivered("user-1", Now);

        // Act
        held.Fail("The tenant was offboarded.");

        // Assert
        held.State.ShouldBe(TenantEventState.Failed);
        Should.Throw<DomainException>(() => delivered.Fail("late"));
        Should.Throw<DomainException>(() => delivered.BeginAttempt(Now, Lease));
    }

    [Fact]
    public void LastError_ShouldBeCutToItsColumnLength()
    {
        // Arrange
        var e = NewEvent();
        e.BeginAttempt(Now, Lease);

        // Act
        e.RecordFailure(new string('x', TenantEvent.MaxErrorLength + 500), retryAt: null);

        // Assert
        e.LastError!.Length.ShouldBe(TenantEvent.MaxErrorLength);
    }
}
