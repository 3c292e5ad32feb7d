using IntegrationHub.Application.Common.Options;
using IntegrationHub.Application.Provisioning;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Tenants;
using IntegrationHub.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Application.UnitTests.Provisioning;

public sealed class ProvisionedAccountCacheTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void TryGet_WithinTheDuration_ShouldReturnTheRememberedAccount()
    {
        // Arrange
        var cache = Create(TimeSpan.FromSeconds(10));
        var account = Provisioned("acme");
        cache.Remember(account);
        _time.Advance(TimeSpan.FromSeconds(9));

        // Act
        var hit = cache.TryGet(account.TenantId, AlloyEnvironment.Development, out var found);

        // Assert
        hit.ShouldBeTrue();
        found.UserId.ShouldBe("user-acme");
    }

    [Fact]
    public void TryGet_AfterTheDuration_ShouldMiss()
    {
        // Arrange
        var cache = Create(TimeSpan.FromSeconds(10));
        var account = Provisioned("acme");
        cache.Remember(account);
        _time.Advance(TimeSpan.FromSeconds(10));

        // Act, Assert
        cache.TryGet(account.TenantId, AlloyEnvironment.Development, out _).ShouldBeFalse();
    }

    [Fact]
    public void TryGet_ForAnotherEnvironmentOrTenant_ShouldMiss()
    {
        // Arrange
        var cache = Create(TimeSpan.FromSeconds(10));
        cache.Remember(Provisioned("acme"));

        // Act, Assert
        cache.TryGet(TenantId.From("acme"), AlloyEnvironment.Production, out _).ShouldBeFalse();
        cache.TryGet(TenantId.From("globex"), AlloyEnvironment.Development, out _).ShouldBeFalse();
    }

    [Fact]
    public void Forget_ShouldMakeTheNextLookupMiss()
    {
        // Arrange
        var cache = Create(TimeSpan.FromSeconds(10));
        var account = Provisioned("acme");
        cache.Remember(account);

        // Act
        cache.Forget(account.TenantId, account.Environment);

        // Assert
        cache.TryGet(account.TenantId, account.Environment, out _).ShouldBeFalse();
    }

    [Fact]
    public void Remember_WhenTheAccountIsNotProvisioned_ShouldNotRememberIt()
    {
        // Arrange
        var cache = Create(TimeSpan.FromSeconds(10));
        var pending = AlloyAccount.Create(TenantId.From("acme"), AlloyEnvironment.Development, string.Empty, _time.GetUtcNow());

        // Act
        cache.Remember(pending);

        // Assert
        cache.TryGet(pending.TenantId, pending.Environment, out _).ShouldBeFalse();
        cache.Count.ShouldBe(0);
    }

    [Fact]
    public void Remember_WhenTheDurationIsZero_ShouldNotRememberAnything()
    {
        // Arrange
        var cache = Create(TimeSpan.Zero);

        // Act
        cache.Remember(Provisioned("acme"));

        // Assert
        cache.Count.ShouldBe(0);
    }

    [Fact]
    public void Remember_WhenManyEntriesHaveExpired_ShouldSweepThem()
    {
        // Arrange
        var cache = Create(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 10_000; i++)
        {
            cache.Remember(Provisioned($"old-{i}"));
        }

        _time.Advance(TimeSpan.FromSeconds(11));

        // Act
        cache.Remember(Provisioned("new"));

        // Assert
        cache.Count.ShouldBe(1);
    }

    private ProvisionedAccountCache Create(TimeSpan duration) =>
        new(new TestOptionsMonitor<ProvisioningOptions>(new ProvisioningOptions { AccountCacheDuration = duration }), _time);

    private AlloyAccount Provisioned(string tenant)
    {
        var account = AlloyAccount.Create(TenantId.From(tenant), AlloyEnvironment.Development, string.Empty, _time.GetUtcNow());
        account.BeginAttempt(_time.GetUtcNow(), TimeSpan.FromMinutes(2));
        account.MarkProvisioned("user-" + tenant, _time.GetUtcNow());
        return account;
    }
}
