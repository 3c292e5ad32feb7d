using IntegrationHub.TestSupport;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Application.Integrations;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Infrastructure.UnitTests.TestSupport;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Infrastructure.UnitTests.Alloy;

/// <summary>The integration list is cached for <c>Alloy:IntegrationsCacheDuration</c> (on the real HybridCache); zero turns the cache off.</summary>
public sealed class UserIntegrationsCacheTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddHybridCache().Services.BuildServiceProvider();
    private readonly FakeAlloyClient _alloy = new();

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task ListAsync_WhenCalledTwiceWithinTheCacheDuration_ShouldAskAlloyOnce()
    {
        // Arrange
        var catalog = NewCatalog(TimeSpan.FromSeconds(30));

        // Act
        var first = await catalog.ListAsync(AlloyEnvironment.Development, "user-1", TestContext.Current.CancellationToken);
        var second = await catalog.ListAsync(AlloyEnvironment.Development, "user-1", TestContext.Current.CancellationToken);

        // Assert
        _alloy.IntegrationCalls.ShouldBe(1);
        second.Value.Single().IntegrationId.ShouldBe(first.Value.Single().IntegrationId);
    }

    [Fact]
    public async Task ListAsync_WhenCacheDurationIsZero_ShouldAskAlloyEveryTime()
    {
        // Arrange
        var catalog = NewCatalog(TimeSpan.Zero);

        // Act
        await catalog.ListAsync(AlloyEnvironment.Development, "user-1", TestContext.Current.CancellationToken);
        var second = await catalog.ListAsync(AlloyEnvironment.Development, "user-1", TestContext.Current.CancellationToken);

        // Assert
        _alloy.IntegrationCalls.ShouldBe(2);
        second.Value.Single().IntegrationId.ShouldBe("integration-2");
    }

    private UserIntegrationsCache NewCatalog(TimeSpan cacheDuration) => new(
        _alloy,
        _services.GetRequiredService<HybridCache>(),
        new TestOptionsMonitor<HubAlloyOptions>(new HubAlloyOptions { IntegrationsCacheDuration = cacheDuration }));
}
