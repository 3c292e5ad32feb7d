using IntegrationHub.Application.Common.Options;

namespace IntegrationHub.Application.UnitTests.Common.Options;

/// <summary>The <c>Alloy</c> section is refused at start when it cannot work, with a message naming the key to fix.</summary>
public sealed class HubAlloyOptionsValidatorTests
{
    private readonly HubAlloyOptionsValidator _validator = new();

    [Fact]
    public void Validate_WithTheDefaultsAndAKey_ShouldSucceed()
    {
        // Arrange
        var options = new HubAlloyOptions { ApiKey = "key" };

        // Act
        var result = _validator.Validate(null, options);

        // Assert
        result.Succeeded.ShouldBeTrue(result.FailureMessage);
    }

    [Fact]
    public void Validate_WhenNoKeyIsSet_ShouldFailSayingHowToSetOne()
    {
        // Arrange
        var options = new HubAlloyOptions { ApiKey = " " };

        // Act
        var result = _validator.Validate(null, options);

        // Assert
        result.Failed.ShouldBeTrue();
        result.Failures!.ShouldContain("Alloy:ApiKey is not set. Set it (environment variable Alloy__ApiKey) or run in Development with the sandbox (Alloy:Sandbox=true).");
    }

    [Fact]
    public void Validate_WhenBaseUrlIsRelative_ShouldFail()
    {
        // Arrange
        var options = new HubAlloyOptions { ApiKey = "key", BaseUrl = "runalloy.com" };

        // Act
        var result = _validator.Validate(null, options);

        // Assert
        result.Failures!.ShouldContain("Alloy:BaseUrl must be an absolute URL.");
    }

    [Fact]
    public void Validate_WhenTheWholeCallIsNoLongerThanOneAttempt_ShouldFailNamingBothKeys()
    {
        // Arrange
        var options = new HubAlloyOptions { ApiKey = "key" };
        options.Resilience.AttemptTimeout = TimeSpan.FromSeconds(10);
        options.Resilience.TotalRequestTimeout = TimeSpan.FromSeconds(10);

        // Act
        var result = _validator.Validate(null, options);

        // Assert
        result.Failures!.ShouldHaveSingleItem().ShouldStartWith("Alloy:Resilience:TotalRequestTimeout (00:00:10) must be longer than Alloy:Resilience:AttemptTimeout");
    }

    [Fact]
    public void Validate_WhenTheBreakerWindowIsShorterThanTwoAttempts_ShouldFail()
    {
        // Arrange
        var options = new HubAlloyOptions { ApiKey = "key" };
        options.Resilience.CircuitBreakerSamplingDuration = TimeSpan.FromSeconds(15);

        // Act
        var result = _validator.Validate(null, options);

        // Assert
        result.Failures!.ShouldHaveSingleItem().ShouldContain("Alloy:Resilience:CircuitBreakerSamplingDuration (00:00:15) must be at least twice");
    }

    [Fact]
    public void Validate_WhenTheBackoffAloneOutlastsTheWholeCall_ShouldFail()
    {
        // Arrange: 5 retries from 1 s, doubling, wait 31 s; the call may last 30 s.
        var options = new HubAlloyOptions { ApiKey = "key" };
        options.Resilience.RetryDelay = TimeSpan.FromSeconds(1);

        // Act
        var result = _validator.Validate(null, options);

        // Assert
        result.Failures!.ShouldHaveSingleItem().ShouldContain("wait 31 s in all");
    }

    [Theory]
    [InlineData(1.5)]
    [InlineData(-1.0)]
    public void Validate_WhenTheFailureRatioIsOutOfRange_ShouldFailNamingTheKey(double ratio)
    {
        // Arrange
        var options = new HubAlloyOptions { ApiKey = "key" };
        options.Resilience.CircuitBreakerFailureRatio = ratio;

        // Act
        var result = _validator.Validate(null, options);

        // Assert
        result.Failures!.ShouldHaveSingleItem().ShouldStartWith("Alloy:Resilience:CircuitBreakerFailureRatio: ");
    }

    [Fact]
    public void Validate_WhenTheIntegrationsCacheIsNegative_ShouldFailNamingTheKey()
    {
        // Arrange
        var options = new HubAlloyOptions { ApiKey = "key", IntegrationsCacheDuration = TimeSpan.FromSeconds(-1) };

        // Act
        var result = _validator.Validate(null, options);

        // Assert
        result.Failures!.ShouldHaveSingleItem().ShouldStartWith("Alloy:IntegrationsCacheDuration: ");
    }
}
