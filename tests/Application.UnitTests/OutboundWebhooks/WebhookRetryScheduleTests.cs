using IntegrationHub.Application.Common.Options;
using IntegrationHub.Application.OutboundWebhooks;

namespace IntegrationHub.Application.UnitTests.OutboundWebhooks;

public sealed class WebhookRetryScheduleTests
{
    private static readonly WebhooksOptions Defaults = new();

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 300)]
    [InlineData(3, 1800)]
    [InlineData(7, 36000)]
    public void DelayAfter_ShouldFollowTheScheduleWithinTenPercent(int attempts, int seconds)
    {
        // Act
        var delays = Enumerable.Range(0, 200).Select(i => WebhookRetrySchedule.DelayAfter(attempts, Defaults, null, new Random(i))!.Value).ToList();

        // Assert
        delays.ShouldAllBe(d => d.TotalSeconds >= seconds * 0.9 && d.TotalSeconds <= seconds * 1.1);
        delays.Distinct().Count().ShouldBeGreaterThan(1, "jitter spreads retries");
    }

    [Fact]
    public void DelayAfter_WhenTheScheduleIsSpent_ShouldBeNull()
    {
        // Act
        var delay = WebhookRetrySchedule.DelayAfter(8, Defaults, null);

        // Assert
        delay.ShouldBeNull();
    }

    [Fact]
    public void DelayAfter_WhenTheEndpointSentRetryAfter_ShouldHonourItUpToADay()
    {
        // Act
        var asked = WebhookRetrySchedule.DelayAfter(1, Defaults, TimeSpan.FromMinutes(3));
        var capped = WebhookRetrySchedule.DelayAfter(1, Defaults, TimeSpan.FromDays(30));

        // Assert
        asked.ShouldBe(TimeSpan.FromMinutes(3));
        capped.ShouldBe(TimeSpan.FromDays(1));
    }

    [Theory]
    [InlineData("00:00:05,00:05:00", 2)]
    [InlineData(" 00:00:00.100 , 00:00:01 ", 2)]
    [InlineData(WebhooksOptions.DefaultRetrySchedule, 7)]
    public void ParseSchedule_WhenValid_ShouldReadEveryDelay(string schedule, int count)
    {
        // Act
        var delays = WebhooksOptions.ParseSchedule(schedule);

        // Assert
        delays.ShouldNotBeNull().Count.ShouldBe(count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5 seconds")]
    [InlineData("00:00:05,,00:01:00")]
    [InlineData("-00:00:05")]
    [InlineData("8.00:00:00")]
    public void Validate_WhenTheScheduleIsMalformed_ShouldNameTheKey(string schedule)
    {
        // Arrange
        var options = new WebhooksOptions { RetrySchedule = schedule };

        // Act
        var results = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();

        // Assert
        results.ShouldHaveSingleItem().ErrorMessage!.ShouldContain("Webhooks:RetrySchedule");
    }
}
