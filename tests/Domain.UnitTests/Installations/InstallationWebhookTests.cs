using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Installations;
using IntegrationHub.Domain.UnitTests.TestData;

namespace IntegrationHub.Domain.UnitTests.Installations;

public sealed class InstallationWebhookTests
{
    private static readonly DateTimeOffset Now = DomainFactory.Now;
    private const string Body = "{\"userId\":\"u1\",\"integrationId\":\"i1\",\"success\":true}";

    [Fact]
    public void Receive_WhenSuccessfulForAKnownTenant_ShouldBePendingAndDueNow()
    {
        // Act
        var webhook = InstallationWebhook.Receive(AlloyEnvironment.Development, " u1 ", "i1", success: true, DomainFactory.NewTenantId("acme"), Body, Now);

        // Assert
        webhook.Status.ShouldBe(InstallationWebhookStatus.Pending);
        webhook.AlloyUserId.ShouldBe("u1");
        webhook.IsDue(Now).ShouldBeTrue();
        webhook.CompletedAt.ShouldBeNull();
    }

    [Theory]
    [InlineData(false, true, InstallationWebhookStatus.Unsuccessful)]
    [InlineData(true, false, InstallationWebhookStatus.Unmatched)]
    [InlineData(false, false, InstallationWebhookStatus.Unsuccessful)]
    public void Receive_WhenFailedOrForNoTenant_ShouldBeSettledAtOnce(bool success, bool hasTenant, InstallationWebhookStatus expected)
    {
        // Act
        var webhook = InstallationWebhook.Receive(
            AlloyEnvironment.Development, "u1", "i1", success, hasTenant ? DomainFactory.NewTenantId("acme") : null, Body, Now);

        // Assert
        webhook.Status.ShouldBe(expected);
        webhook.IsDue(Now).ShouldBeFalse();
        webhook.NextAttemptAt.ShouldBeNull();
        webhook.CompletedAt.ShouldBe(Now);
    }

    [Fact]
    public void BeginAttempt_ThenRetryThenResolve_ShouldCountAttemptsAndSettle()
    {
        // Arrange
        var webhook = InstallationWebhook.Receive(AlloyEnvironment.Development, "u1", "i1", true, DomainFactory.NewTenantId("acme"), Body, Now);

        // Act
        webhook.BeginAttempt(Now.AddMinutes(2));
        var leased = webhook.IsDue(Now.AddSeconds(1));
        webhook.RetryAt(Now.AddSeconds(2), "not-listed-yet");
        webhook.BeginAttempt(Now.AddMinutes(3));
        webhook.MarkResolved("inst-1", Now.AddSeconds(3));

        // Assert
        leased.ShouldBeFalse();
        webhook.Attempts.ShouldBe(2);
        webhook.Status.ShouldBe(InstallationWebhookStatus.Resolved);
        webhook.InstallationId.ShouldBe("inst-1");
        webhook.LastError.ShouldBeNull();
        webhook.NextAttemptAt.ShouldBeNull();
        Should.Throw<DomainException>(() => webhook.BeginAttempt(Now));
    }

    [Theory]
    [InlineData("", "i1")]
    [InlineData("u1", " ")]
    public void Receive_WhenAnIdIsMissing_ShouldThrow(string userId, string integrationId)
    {
        // Act
        var receive = () => InstallationWebhook.Receive(AlloyEnvironment.Development, userId, integrationId, true, null, Body, Now);

        // Assert
        Should.Throw<DomainException>(receive);
    }
}
