using IntegrationHub.Application.Provisioning;
using IntegrationHub.Application.UnitTests.TestData;

namespace IntegrationHub.Application.UnitTests.Provisioning;

public sealed class ProvisioningBackoffTests
{
    /// <summary>NextDouble() = 0.5 gives a jitter factor of exactly 1.0.</summary>
    private static Random NoJitter() => new FixedRandom(0.5);

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(4, 16)]
    [InlineData(5, 32)]
    [InlineData(8, 256)]
    public void DelayAfter_WhenAttemptsGrow_ShouldDoubleFromBaseDelay(int attempts, int expectedSeconds)
    {
        // Arrange
        var options = ApplicationFactory.NewProvisioningOptions(baseDelay: TimeSpan.FromSeconds(2), maxDelay: TimeSpan.FromHours(1));

        // Act
        var delay = ProvisioningBackoff.DelayAfter(attempts, options, retryAfter: null, NoJitter());

        // Assert
        delay.ShouldBe(TimeSpan.FromSeconds(expectedSeconds));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void DelayAfter_WhenAttemptsAreZeroOrNegative_ShouldUseBaseDelay(int attempts)
    {
        // Arrange
        var options = ApplicationFactory.NewProvisioningOptions(baseDelay: TimeSpan.FromSeconds(3));

        // Act
        var delay = ProvisioningBackoff.DelayAfter(attempts, options, retryAfter: null, NoJitter());

        // Assert
        delay.ShouldBe(TimeSpan.FromSeconds(3));
    }

    [Theory]
    [InlineData(9)]
    [InlineData(20)]
    [InlineData(31)]
    [InlineData(1000)]
    [InlineData(int.MaxValue)]
    public void DelayAfter_WhenExponentialExceedsMaxDelay_ShouldCapAtMaxDelay(int attempts)
    {
        // Arrange
        var options = ApplicationFactory.NewProvisioningOptions(baseDelay: TimeSpan.FromSeconds(2), maxDelay: TimeSpan.FromMinutes(5));

        // Act
        var delay = ProvisioningBackoff.DelayAfter(attempts, options, retryAfter: null, NoJitter());

        // Assert
        delay.ShouldBe(TimeSpan.FromMinutes(5));
    }

    [Theory]
    [InlineData(0.0, 0.8)]
    [InlineData(0.25, 0.9)]
    [InlineData(0.75, 1.1)]
    [InlineData(0.999999, 1.2)]
    public void DelayAfter_WhenRandomAtEdges_ShouldScaleByJitterFactor(double sample, double factor)
    {
        // Arrange
        var options = ApplicationFactory.NewProvisioningOptions(baseDelay: TimeSpan.FromSeconds(10));

        // Act
        var delay = ProvisioningBackoff.DelayAfter(1, options, retryAfter: null, new FixedRandom(sample));

        // Assert
        delay.TotalSeconds.ShouldBe(10 * factor, tolerance: 0.001);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(12)]
    public void DelayAfter_WhenJittered_ShouldStayWithinTwentyPercentAndSpreadOut(int attempts)
    {
        // Arrange
        var options = ApplicationFactory.NewProvisioningOptions();
        var nominal = ProvisioningBackoff.DelayAfter(attempts, options, retryAfter: null, NoJitter());
        var random = new Random(20260301);

        // Act
        var delays = Enumerable.Range(0, 2000)
            .Select(_ => ProvisioningBackoff.DelayAfter(attempts, options, retryAfter: null, random))
            .ToList();

        // Assert
        delays.ShouldAllBe(d => d >= nominal * 0.8 && d <= nominal * 1.2);
        delays.Min().ShouldBeLessThan(nominal * 0.85);
        delays.Max().ShouldBeGreaterThan(nominal * 1.15);
        delays.Distinct().Count().ShouldBeGreaterThan(1000);
    }

    [Fact]
    public void DelayAfter_WhenSameSeed_ShouldBeReproducible()
    {
        // Arrange
        var options = ApplicationFactory.NewProvisioningOptions();

        // Act
        var first = ProvisioningBackoff.DelayAfter(4, options, retryAfter: null, new Random(7));
        var second = ProvisioningBackoff.DelayAfter(4, options, retryAfter: null, new Random(7));

        // Assert
        first.ShouldBe(second);
    }

    [Fact]
    public void DelayAfter_WhenRetryAfterIsLonger_ShouldWaitAtLeastRetryAfter()
    {
        // Arrange
        var options = ApplicationFactory.NewProvisioningOptions(baseDelay: TimeSpan.FromSeconds(2));
        var retryAfter = TimeSpan.FromSeconds(90);

        // Act
        var delay = ProvisioningBackoff.DelayAfter(1, options, retryAfter, new FixedRandom(0.999999));

        // Assert
        delay.ShouldBe(retryAfter);
    }

    [Fact]
    public void DelayAfter_WhenRetryAfterIsShorter_ShouldKeepTheBackoff()
    {
        // Arrange
        var options = ApplicationFactory.NewProvisioningOptions(baseDelay: TimeSpan.FromSeconds(2), maxDelay: TimeSpan.FromHours(1));

        // Act
        var delay = ProvisioningBackoff.DelayAfter(5, options, TimeSpan.FromSeconds(1), NoJitter());

        // Assert
        delay.ShouldBe(TimeSpan.FromSeconds(32));
    }

    [Fact]
    public void DelayAfter_WhenRetryAfterExceedsMaxDelay_ShouldStillHonourRetryAfter()
    {
        // Arrange
        var options = ApplicationFactory.NewProvisioningOptions(maxDelay: TimeSpan.FromMinutes(5));
        var retryAfter = TimeSpan.FromMinutes(20);

        // Act
        var delay = ProvisioningBackoff.DelayAfter(30, options, retryAfter, NoJitter());

        // Assert
        delay.ShouldBe(retryAfter);
    }

    [Fact]
    public void DelayAfter_WhenNoRandomGiven_ShouldStillStayWithinJitterBounds()
    {
        // Arrange
        var options = ApplicationFactory.NewProvisioningOptions(baseDelay: TimeSpan.FromSeconds(10));

        // Act
        var delay = ProvisioningBackoff.DelayAfter(1, options, retryAfter: null);

        // Assert
        delay.ShouldBeInRange(TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(12));
    }

    /// <summary>A Random whose NextDouble is fixed, to pin the jitter factor.</summary>
    private sealed class FixedRandom(double sample) : Random
    {
        public override double NextDouble() => sample;

        protected override double Sample() => sample;
    }
}
