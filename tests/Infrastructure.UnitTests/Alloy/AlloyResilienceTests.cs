using IntegrationHub.Application.Common.Options;
using IntegrationHub.Infrastructure.Alloy;
using Microsoft.Extensions.Http.Resilience;

namespace IntegrationHub.Infrastructure.UnitTests.Alloy;

/// <summary><c>Alloy:Resilience</c> becomes the Alloy client's standard resilience pipeline, number for number.</summary>
public sealed class AlloyResilienceTests
{
    [Fact]
    public void Apply_WithTheDefaults_ShouldKeepTheNumbersTheHubHasAlwaysUsed()
    {
        // Arrange
        var target = new HttpStandardResilienceOptions();

        // Act
        AlloyResilience.Apply(new AlloyResilienceOptions(), target);

        // Assert
        target.Retry.MaxRetryAttempts.ShouldBe(5);
        target.Retry.Delay.ShouldBe(TimeSpan.FromMilliseconds(200));
        target.Retry.UseJitter.ShouldBeTrue();
        target.AttemptTimeout.Timeout.ShouldBe(TimeSpan.FromSeconds(10));
        target.TotalRequestTimeout.Timeout.ShouldBe(TimeSpan.FromSeconds(30));
        target.CircuitBreaker.SamplingDuration.ShouldBe(TimeSpan.FromSeconds(30));
        target.CircuitBreaker.FailureRatio.ShouldBe(0.7);
        target.CircuitBreaker.MinimumThroughput.ShouldBe(20);
        target.CircuitBreaker.BreakDuration.ShouldBe(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Apply_WhenEveryNumberIsConfigured_ShouldCarryEachIntoThePipeline()
    {
        // Arrange
        var source = new AlloyResilienceOptions
        {
            MaxRetryAttempts = 2,
            RetryDelay = TimeSpan.FromMilliseconds(50),
            AttemptTimeout = TimeSpan.FromSeconds(3),
            TotalRequestTimeout = TimeSpan.FromSeconds(12),
            CircuitBreakerSamplingDuration = TimeSpan.FromSeconds(60),
            CircuitBreakerFailureRatio = 0.5,
            CircuitBreakerMinimumThroughput = 8,
            CircuitBreakerBreakDuration = TimeSpan.FromSeconds(4),
        };
        var target = new HttpStandardResilienceOptions();

        // Act
        AlloyResilience.Apply(source, target);

        // Assert
        target.Retry.MaxRetryAttempts.ShouldBe(2);
        target.Retry.Delay.ShouldBe(TimeSpan.FromMilliseconds(50));
        target.AttemptTimeout.Timeout.ShouldBe(TimeSpan.FromSeconds(3));
        target.TotalRequestTimeout.Timeout.ShouldBe(TimeSpan.FromSeconds(12));
        target.CircuitBreaker.SamplingDuration.ShouldBe(TimeSpan.FromSeconds(60));
        target.CircuitBreaker.FailureRatio.ShouldBe(0.5);
        target.CircuitBreaker.MinimumThroughput.ShouldBe(8);
        target.CircuitBreaker.BreakDuration.ShouldBe(TimeSpan.FromSeconds(4));
    }
}
