using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.OutboundWebhooks;
using IntegrationHub.Domain.UnitTests.TestData;

namespace IntegrationHub.Domain.UnitTests.OutboundWebhooks;

public sealed class WebhookEndpointTests
{
    private static WebhookEndpoint NewEndpoint(params string[] eventTypes) =>
        WebhookEndpoint.Create("https://hooks.example.com/in", " receiver ", eventTypes, DomainFactory.Now);

    [Fact]
    public void Create_ShouldIssueAnIdAndAStandardWebhooksSecret()
    {
        // Act
        var endpoint = NewEndpoint();

        // Assert
        endpoint.Id.ShouldStartWith("ep_");
        endpoint.Id.Length.ShouldBeLessThanOrEqualTo(WebhookEndpoint.MaxIdLength);
        endpoint.Secret.ShouldStartWith("whsec_");
        Convert.FromBase64String(endpoint.Secret["whsec_".Length..]).Length.ShouldBe(32);
        endpoint.Description.ShouldBe("receiver");
        endpoint.Enabled.ShouldBeTrue();
        endpoint.SigningSecrets(DomainFactory.Now).ShouldBe([endpoint.Secret]);
    }

    [Fact]
    public void Create_WhenAnEventTypeIsUnknown_ShouldThrow()
    {
        // Act
        var act = () => NewEndpoint("tenant.exploded");

        // Assert
        act.ShouldThrow<DomainException>();
    }

    [Fact]
    public void Subscribes_WhenNoTypesAreGiven_ShouldTakeEveryTypeElseOnlyItsOwn()
    {
        // Arrange
        var all = NewEndpoint();
        var some = NewEndpoint(WebhookEventTypes.InstallationCreated);

        // Act / Assert
        WebhookEventTypes.All.ShouldAllBe(t => all.Subscribes(t));
        some.Subscribes(WebhookEventTypes.InstallationCreated).ShouldBeTrue();
        some.Subscribes(WebhookEventTypes.TenantProvisioned).ShouldBeFalse();
    }

    [Fact]
    public void RotateSecret_ShouldSignWithBothSecretsUntilTheOverlapEnds()
    {
        // Arrange
        var endpoint = NewEndpoint();
        var old = endpoint.Secret;

        // Act
        var fresh = endpoint.RotateSecret(DomainFactory.Now, TimeSpan.FromHours(24));

        // Assert
        fresh.ShouldNotBe(old);
        endpoint.SigningSecrets(DomainFactory.Now.AddHours(23)).ShouldBe([fresh, old]);
        endpoint.SigningSecrets(DomainFactory.Now.AddHours(24)).ShouldBe([fresh]);
    }

    [Fact]
    public void RecordFailure_WhenFailingLongerThanDisableAfter_ShouldDisableWithAReasonAndEnableClearsIt()
    {
        // Arrange
        var endpoint = NewEndpoint();
        var disableAfter = TimeSpan.FromDays(5);

        // Act
        var early = endpoint.RecordFailure(DomainFactory.Now, disableAfter);
        var later = endpoint.RecordFailure(DomainFactory.Now.AddDays(4), disableAfter);
        var late = endpoint.RecordFailure(DomainFactory.Now.AddDays(5), disableAfter);

        // Assert
        early.ShouldBeFalse();
        later.ShouldBeFalse();
        late.ShouldBeTrue();
        endpoint.Enabled.ShouldBeFalse();
        endpoint.DisabledReason.ShouldNotBeNullOrWhiteSpace();
        endpoint.Enable(DomainFactory.Now.AddDays(6));
        endpoint.Enabled.ShouldBeTrue();
        endpoint.DisabledReason.ShouldBeNull();
        endpoint.FailingSince.ShouldBeNull();
    }

    [Fact]
    public void RecordSuccess_ShouldEndTheFailureStreak()
    {
        // Arrange
        var endpoint = NewEndpoint();
        endpoint.RecordFailure(DomainFactory.Now, TimeSpan.FromDays(5));

        // Act
        endpoint.RecordSuccess(DomainFactory.Now.AddDays(1));

        // Assert
        endpoint.FailingSince.ShouldBeNull();
        endpoint.RecordFailure(DomainFactory.Now.AddDays(5), TimeSpan.FromDays(5)).ShouldBeFalse();
    }
}

public sealed class WebhookDeliveryTests
{
    private static WebhookDelivery NewDelivery() => WebhookDelivery.Create(
        WebhookMessage.Create(WebhookEventTypes.TenantProvisioned, "{\"type\":\"tenant.provisioned\"}", DomainFactory.Now),
        WebhookEndpoint.Create("https://hooks.example.com/in", null, null, DomainFactory.Now),
        DomainFactory.Now);

    [Fact]
    public void Attempts_WhenFailingThenDelivered_ShouldCountAndEndDelivered()
    {
        // Arrange
        var delivery = NewDelivery();

        // Act
        delivery.BeginAttempt(DomainFactory.Now, TimeSpan.FromSeconds(40));
        delivery.RecordFailure(500, 12, "The endpoint answered 500.", DomainFactory.Now.AddSeconds(5));
        var dueAfterFailure = delivery.IsDue(DomainFactory.Now.AddSeconds(5));
        delivery.BeginAttempt(DomainFactory.Now.AddSeconds(5), TimeSpan.FromSeconds(40));
        var dueWhileLeased = delivery.IsDue(DomainFactory.Now.AddSeconds(6));
        delivery.MarkDelivered(204, 8);

        // Assert
        dueAfterFailure.ShouldBeTrue();
        dueWhileLeased.ShouldBeFalse();
        delivery.State.ShouldBe(WebhookDeliveryState.Delivered);
        delivery.Attempts.ShouldBe(2);
        delivery.LastStatusCode.ShouldBe(204);
        delivery.LastError.ShouldBeNull();
    }

    [Fact]
    public void RecordFailure_WhenNoRetryIsLeft_ShouldFailAndReplayStartsAgain()
    {
        // Arrange
        var delivery = NewDelivery();
        delivery.BeginAttempt(DomainFactory.Now, TimeSpan.FromSeconds(40));

        // Act
        delivery.RecordFailure(null, 10_000, "No answer within 00:00:10.", retryAt: null);
        var failed = delivery.State;
        delivery.Replay(DomainFactory.Now.AddHours(1));

        // Assert
        failed.ShouldBe(WebhookDeliveryState.Failed);
        delivery.State.ShouldBe(WebhookDeliveryState.Pending);
        delivery.Attempts.ShouldBe(0);
        delivery.IsDue(DomainFactory.Now.AddHours(1)).ShouldBeTrue();
    }

    [Fact]
    public void Cancel_WhenDelivered_ShouldChangeNothingAndAttemptOfACancelledOneThrows()
    {
        // Arrange
        var delivered = NewDelivery();
        delivered.BeginAttempt(DomainFactory.Now, TimeSpan.FromSeconds(40));
        delivered.MarkDelivered(200, 5);
        var cancelled = NewDelivery();

        // Act
        delivered.Cancel("endpoint disabled");
        cancelled.Cancel("endpoint disabled");

        // Assert
        delivered.State.ShouldBe(WebhookDeliveryState.Delivered);
        cancelled.State.ShouldBe(WebhookDeliveryState.Cancelled);
        Should.Throw<DomainException>(() => cancelled.BeginAttempt(DomainFactory.Now, TimeSpan.FromSeconds(40)));
    }

    [Fact]
    public void WebhookAttempt_WhenTheAnswerIsLong_ShouldKeepOneKilobyte()
    {
        // Act
        var attempt = WebhookAttempt.Record(1, DomainFactory.Now, 500, -3, new string('x', 5000), null);

        // Assert
        attempt.ResponseSnippet!.Length.ShouldBe(WebhookAttempt.MaxSnippetLength);
        attempt.DurationMs.ShouldBe(0);
    }

    [Theory]
    [InlineData("https://hooks.example.com/in", "https://hooks.example.com/in")]
    [InlineData("https://hooks.example.com/in?token=s3cret", "https://hooks.example.com/in?…")]
    [InlineData("https://user:pa55@hooks.example.com:8443/in#frag", "https://hooks.example.com:8443/in?…")]
    public void DisplayUrl_WhenTheUrlCarriesCredentialsOrAQuery_ShouldLeaveThemOut(string url, string expected)
    {
        // Arrange
        var endpoint = WebhookEndpoint.Create(url, null, null, DomainFactory.Now);

        // Act
        var shown = endpoint.DisplayUrl;

        // Assert
        shown.ShouldBe(expected);
    }
}
