using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Installations;
using IntegrationHub.Domain.UnitTests.TestData;

namespace IntegrationHub.Domain.UnitTests.Installations;

public sealed class InstallationTests
{
    private static readonly DateTimeOffset Now = DomainFactory.Now;
    private static readonly DateTimeOffset Later = Now.AddMinutes(10);

    [Fact]
    public void Discover_WhenEnabled_ShouldRecordInstalledOnly()
    {
        // Arrange
        var snapshot = DomainFactory.NewSnapshot(enabled: true);

        // Act
        var installation = Installation.Discover(
            DomainFactory.NewTenantId("acme"), AlloyEnvironment.Production, snapshot, Now, InstallationChangeSource.Sync);

        // Assert
        installation.TenantId.ShouldBe(DomainFactory.NewTenantId("acme"));
        installation.Environment.ShouldBe(AlloyEnvironment.Production);
        installation.InstallationId.ShouldBe(snapshot.InstallationId);
        installation.IntegrationId.ShouldBe(snapshot.IntegrationId);
        installation.IntegrationName.ShouldBe(snapshot.IntegrationName);
        installation.Enabled.ShouldBeTrue();
        installation.InstalledAt.ShouldBe(snapshot.InstalledAt);
        installation.FirstSeenAt.ShouldBe(Now);
        installation.LastSyncedAt.ShouldBe(Now);
        installation.RemovedAt.ShouldBeNull();
        installation.History.Count.ShouldBe(1);
        installation.History[0].Kind.ShouldBe(InstallationChangeKind.Installed);
        installation.History[0].At.ShouldBe(Now);
        installation.History[0].Source.ShouldBe(InstallationChangeSource.Sync);
    }

    [Fact]
    public void Discover_WhenDisabled_ShouldRecordInstalledThenDisabled()
    {
        // Arrange
        var snapshot = DomainFactory.NewSnapshot(enabled: false);

        // Act
        var installation = DomainFactory.NewInstallation(snapshot);

        // Assert
        installation.Enabled.ShouldBeFalse();
        Kinds(installation).ShouldBe([InstallationChangeKind.Installed, InstallationChangeKind.Disabled]);
    }

    [Fact]
    public void Apply_WhenNothingChanged_ShouldReturnFalseAndAddNoHistory()
    {
        // Arrange
        var snapshot = DomainFactory.NewSnapshot();
        var installation = DomainFactory.NewInstallation(snapshot);

        // Act
        var changed = installation.Apply(snapshot, Later, InstallationChangeSource.Sync);

        // Assert
        changed.ShouldBeFalse();
        installation.History.Count.ShouldBe(1);
        installation.LastSyncedAt.ShouldBe(Later);
        installation.FirstSeenAt.ShouldBe(Now);
    }

    [Fact]
    public void Apply_WhenDisabled_ShouldRecordDisabled()
    {
        // Arrange
        var installation = DomainFactory.NewInstallation(DomainFactory.NewSnapshot(enabled: true));

        // Act
        var changed = installation.Apply(DomainFactory.NewSnapshot(enabled: false), Later, InstallationChangeSource.Sync);

        // Assert
        changed.ShouldBeTrue();
        installation.Enabled.ShouldBeFalse();
        Kinds(installation).ShouldBe([InstallationChangeKind.Installed, InstallationChangeKind.Disabled]);
        installation.History[^1].At.ShouldBe(Later);
        installation.History[^1].Source.ShouldBe(InstallationChangeSource.Sync);
    }

    [Fact]
    public void Apply_WhenReEnabled_ShouldRecordEnabled()
    {
        // Arrange
        var installation = DomainFactory.NewInstallation(DomainFactory.NewSnapshot(enabled: false));

        // Act
        var changed = installation.Apply(DomainFactory.NewSnapshot(enabled: true), Later, InstallationChangeSource.Admin);

        // Assert
        changed.ShouldBeTrue();
        installation.Enabled.ShouldBeTrue();
        Kinds(installation).ShouldBe(
            [InstallationChangeKind.Installed, InstallationChangeKind.Disabled, InstallationChangeKind.Enabled]);
        installation.History[^1].Source.ShouldBe(InstallationChangeSource.Admin);
    }

    [Fact]
    public void Apply_WhenOnlyNameOrInstallTimeChanged_ShouldReturnTrueWithoutHistory()
    {
        // Arrange
        var installation = DomainFactory.NewInstallation(DomainFactory.NewSnapshot(integrationName: "Slack"));
        var installedAt = Now.AddMinutes(-1);

        // Act
        var changed = installation.Apply(
            DomainFactory.NewSnapshot(integrationName: "Slack (new)", installedAt: installedAt), Later, InstallationChangeSource.Sync);

        // Assert
        changed.ShouldBeTrue();
        installation.IntegrationName.ShouldBe("Slack (new)");
        installation.InstalledAt.ShouldBe(installedAt);
        installation.History.Count.ShouldBe(1);
    }

    [Fact]
    public void Apply_WhenSnapshotLacksNameAndInstallTime_ShouldKeepKnownValues()
    {
        // Arrange
        var original = DomainFactory.NewSnapshot(integrationName: "Slack");
        var installation = DomainFactory.NewInstallation(original);
        var sparse = original with { IntegrationName = string.Empty, InstalledAt = null };

        // Act
        var changed = installation.Apply(sparse, Later, InstallationChangeSource.Sync);

        // Assert
        changed.ShouldBeFalse();
        installation.IntegrationName.ShouldBe("Slack");
        installation.InstalledAt.ShouldBe(original.InstalledAt);
    }

    [Fact]
    public void MarkRemoved_WhenPresent_ShouldRecordRemoved()
    {
        // Arrange
        var installation = DomainFactory.NewInstallation();

        // Act
        var changed = installation.MarkRemoved(Later, InstallationChangeSource.Sync);

        // Assert
        changed.ShouldBeTrue();
        installation.RemovedAt.ShouldBe(Later);
        installation.LastSyncedAt.ShouldBe(Later);
        Kinds(installation).ShouldBe([InstallationChangeKind.Installed, InstallationChangeKind.Removed]);
    }

    [Fact]
    public void MarkRemoved_WhenAlreadyRemoved_ShouldReturnFalseAndAddNoHistory()
    {
        // Arrange
        var installation = DomainFactory.NewInstallation();
        installation.MarkRemoved(Later, InstallationChangeSource.Sync);

        // Act
        var changed = installation.MarkRemoved(Later.AddMinutes(5), InstallationChangeSource.Sync);

        // Assert
        changed.ShouldBeFalse();
        installation.RemovedAt.ShouldBe(Later);
        installation.History.Count.ShouldBe(2);
    }

    [Fact]
    public void Apply_WhenReappearingAfterRemoval_ShouldRecordInstalledAgain()
    {
        // Arrange
        var snapshot = DomainFactory.NewSnapshot(enabled: true);
        var installation = DomainFactory.NewInstallation(snapshot);
        installation.MarkRemoved(Later, InstallationChangeSource.Sync);
        var reappeared = Later.AddMinutes(5);

        // Act
        var changed = installation.Apply(snapshot, reappeared, InstallationChangeSource.FrontendRefresh);

        // Assert
        changed.ShouldBeTrue();
        installation.RemovedAt.ShouldBeNull();
        Kinds(installation).ShouldBe(
            [InstallationChangeKind.Installed, InstallationChangeKind.Removed, InstallationChangeKind.Installed]);
        installation.History[^1].At.ShouldBe(reappeared);
        installation.History[^1].Source.ShouldBe(InstallationChangeSource.FrontendRefresh);
    }

    [Fact]
    public void Apply_WhenReappearingDisabledAfterRemoval_ShouldRecordInstalledThenDisabled()
    {
        // Arrange
        var installation = DomainFactory.NewInstallation(DomainFactory.NewSnapshot(enabled: true));
        installation.MarkRemoved(Later, InstallationChangeSource.Sync);

        // Act
        var changed = installation.Apply(DomainFactory.NewSnapshot(enabled: false), Later.AddMinutes(5), InstallationChangeSource.Sync);

        // Assert
        changed.ShouldBeTrue();
        Kinds(installation).ShouldBe(
        [
            InstallationChangeKind.Installed,
            InstallationChangeKind.Removed,
            InstallationChangeKind.Installed,
            InstallationChangeKind.Disabled,
        ]);
    }

    [Fact]
    public void MarkRemoved_WhenRemovedAgainAfterReappearing_ShouldRecordSecondRemoval()
    {
        // Arrange
        var snapshot = DomainFactory.NewSnapshot();
        var installation = DomainFactory.NewInstallation(snapshot);
        installation.MarkRemoved(Later, InstallationChangeSource.Sync);
        installation.Apply(snapshot, Later.AddMinutes(1), InstallationChangeSource.Sync);

        // Act
        var changed = installation.MarkRemoved(Later.AddMinutes(2), InstallationChangeSource.Sync);

        // Assert
        changed.ShouldBeTrue();
        installation.RemovedAt.ShouldBe(Later.AddMinutes(2));
        Kinds(installation).Count(k => k == InstallationChangeKind.Removed).ShouldBe(2);
    }

    private static List<InstallationChangeKind> Kinds(Installation installation) =>
        installation.History.Select(h => h.Kind).ToList();
}
