using IntegrationHub.Application.Events;
using IntegrationHub.Domain.Tenants;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Application.UnitTests.Events;

public sealed class TenantEventDispatchTests
{
    private static readonly TenantId Acme = TenantId.From("acme");
    private static readonly TenantId Globex = TenantId.From("globex");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    private readonly List<string> _enqueued = [];

    [Fact]
    public void Request_ShouldQueueOneJobPerTenant_HoweverOftenItIsAsked()
    {
        // Arrange
        var dispatch = new TenantEventDispatch(_time);

        // Act
        for (var i = 0; i < 10_000; i++)
        {
            dispatch.Request(Acme, _enqueued.Add);
        }

        dispatch.Request(Globex, _enqueued.Add);

        // Assert
        _enqueued.ShouldBe(["acme", "globex"]);
    }

    [Fact]
    public void Request_WhileTheTenantsJobRuns_ShouldMakeItPassAgainInsteadOfQueueingAnother()
    {
        // Arrange
        var dispatch = new TenantEventDispatch(_time);
        dispatch.Request(Acme, _enqueued.Add);
        dispatch.TryBegin(Acme).ShouldBeTrue();

        // Act
        dispatch.Request(Acme, _enqueued.Add);
        var again = dispatch.ShouldContinue(Acme);
        var thenDone = dispatch.ShouldContinue(Acme);

        // Assert
        _enqueued.Count.ShouldBe(1);
        again.ShouldBeTrue();
        thenDone.ShouldBeFalse();
        dispatch.Count.ShouldBe(0);
    }

    [Fact]
    public void TryBegin_WhenAnotherJobOfTheTenantRuns_ShouldRefuseAndLetTheRunningOnePassAgain()
    {
        // Arrange
        var dispatch = new TenantEventDispatch(_time);
        dispatch.TryBegin(Acme).ShouldBeTrue();

        // Act
        var second = dispatch.TryBegin(Acme);

        // Assert
        second.ShouldBeFalse();
        dispatch.ShouldContinue(Acme).ShouldBeTrue();
    }

    [Fact]
    public void End_ShouldFreeTheTenantForTheNextRequest()
    {
        // Arrange
        var dispatch = new TenantEventDispatch(_time);
        dispatch.Request(Acme, _enqueued.Add);
        dispatch.TryBegin(Acme);

        // Act
        dispatch.End(Acme);
        dispatch.Request(Acme, _enqueued.Add);

        // Assert
        _enqueued.ShouldBe(["acme", "acme"]);
    }

    [Fact]
    public void Request_WhenTheQueuedJobNeverStarted_ShouldQueueAnotherAfterTheStaleTime()
    {
        // Arrange
        var dispatch = new TenantEventDispatch(_time);
        dispatch.Request(Acme, _enqueued.Add);

        // Act
        _time.Advance(TenantEventDispatch.QueuedStaleAfter - TimeSpan.FromSeconds(1));
        dispatch.Request(Acme, _enqueued.Add);
        _time.Advance(TimeSpan.FromSeconds(2));
        dispatch.Request(Acme, _enqueued.Add);

        // Assert
        _enqueued.ShouldBe(["acme", "acme"]);
    }
}
