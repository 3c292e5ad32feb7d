using System.Net;
using IntegrationHub.Client;
using IntegrationHub.Client.Models;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.HubClient;

/// <summary>The .NET client package against the real hub: tenants, integrations, installations and admin queries.</summary>
public sealed class ClientTenantTests(HubFactory hub)
{
    [Fact]
    public async Task SignUp_WhenNewThenRepeated_ShouldAnswerCreatedThenExistingAndProvision()
    {
        // Arrange
        using var typed = TypedHubClient.For(hub);
        var tenantId = HubApi.NewTenantId("client");

        // Act
        var first = await typed.Client.SignUpAsync(tenantId, "Client Ltd");
        var again = await typed.Client.SignUpAsync(tenantId, "Client Ltd");
        var provisioned = await typed.Client.WaitUntilProvisionedAsync(tenantId, TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken);

        // Assert
        first.Created.ShouldBeTrue();
        first.Tenant.TenantId.ShouldBe(tenantId);
        first.Tenant.Name.ShouldBe("Client Ltd");
        first.Tenant.Alloy.ShouldNotBeNull();
        again.Created.ShouldBeFalse();
        again.Tenant.CreatedAt.ShouldBe(first.Tenant.CreatedAt);
        provisioned.Alloy!.State.ShouldBe(ProvisioningState.Provisioned);
        provisioned.Alloy.UserId.ShouldNotBeNullOrWhiteSpace();
        provisioned.Alloy.ProvisionedAt.ShouldNotBeNull();
        provisioned.Alloy.Environment.ShouldBe(AlloyEnvironment.Development);
        (await hub.Sandbox.UsersAsync(tenantId)).Single().UserId.ShouldBe(provisioned.Alloy.UserId);
    }

    [Fact]
    public async Task Offboard_WhenProvisioned_ShouldAnswerTheTenantAndDeprovisionIt()
    {
        // Arrange
        using var typed = TypedHubClient.For(hub);
        var tenantId = HubApi.NewTenantId("client-off");
        await typed.Client.SignUpAsync(tenantId, "Leaving Ltd");
        await typed.Client.WaitUntilProvisionedAsync(tenantId, TimeSpan.FromMilliseconds(100));

        // Act
        var offboarded = await typed.Client.OffboardAsync(tenantId);

        // Assert
        offboarded.TenantId.ShouldBe(tenantId);
        offboarded.DeletedAt.ShouldNotBeNull();
        var deprovisioned = await Poll.UntilAsync(
            ct => typed.Client.GetTenantAsync(tenantId, ct),
            t => t.Alloy?.State == ProvisioningState.Deprovisioned,
            "the tenant's Alloy user deleted");
        deprovisioned.DeletedAt.ShouldBe(offboarded.DeletedAt);
        (await hub.Sandbox.UsersAsync(tenantId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task RetryProvisioning_WhenAlloyRefusedTheUser_ShouldProvisionAgain()
    {
        // Arrange: Alloy refuses the create once with a 400 that does not mean "exists": provisioning fails for good.
        using var typed = TypedHubClient.For(hub);
        var tenantId = HubApi.NewTenantId("client-retry");
        await hub.Sandbox.SetFaultsAsync(new { scripted = new[] { new { method = "POST", path = "/users", status = 400, times = 1 } } });
        Tenant failed;
        try
        {
            await typed.Client.SignUpAsync(tenantId, "Retry Ltd");
            failed = await typed.Client.WaitUntilProvisionedAsync(tenantId, TimeSpan.FromMilliseconds(100));
        }
        finally
        {
            await hub.Sandbox.ClearFaultsAsync();
        }

        // Act
        var retried = await typed.Client.RetryProvisioningAsync(tenantId);
        var provisioned = await typed.Client.WaitUntilProvisionedAsync(tenantId, TimeSpan.FromMilliseconds(100));

        // Assert
        failed.Alloy!.State.ShouldBe(ProvisioningState.Failed);
        failed.Alloy.LastError.ShouldNotBeNullOrWhiteSpace();
        retried.TenantId.ShouldBe(tenantId);
        provisioned.Alloy!.State.ShouldBe(ProvisioningState.Provisioned);
        provisioned.Alloy.LastError.ShouldBeNull();
        var notFailed = await Should.ThrowAsync<IntegrationHubProblemException>(() => typed.Client.RetryProvisioningAsync(tenantId));
        notFailed.Slug.ShouldBe(ProblemTypes.ProvisioningNotFailed);
        notFailed.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Installations_WhenTheTenantInstallsHeadlessly_ShouldAppearInRefreshListingAdminQueryAndHistory()
    {
        // Arrange
        using var typed = TypedHubClient.For(hub, adminKey: HubFactory.AdminKey);
        var tenantId = HubApi.NewTenantId("client-inst");
        await typed.Client.SignUpAsync(tenantId, "Installing Ltd");
        var tenant = await typed.Client.WaitUntilProvisionedAsync(tenantId, TimeSpan.FromMilliseconds(100));
        var integrations = await typed.Client.ListIntegrationsAsync(tenantId);
        var integration = integrations.Items[0];
        var installationId = await hub.Sandbox.InstallAsync(tenant.Alloy!.UserId!, integration.IntegrationId);

        // Act
        var refreshed = await typed.Client.RefreshInstallationsAsync(tenantId);
        var listed = await typed.Client.GetInstallationsAsync(tenantId);
        var admin = await typed.Client.QueryInstallationsAsync(new InstallationQuery(TenantId: tenantId, Enabled: true));
        var history = await typed.Client.GetInstallationHistoryAsync(installationId);
        var integrationsAfter = await typed.Client.ListIntegrationsAsync(tenantId);

        // Assert
        integrations.Items.ShouldAllBe(i => !string.IsNullOrEmpty(i.Name));
        integration.Installed.ShouldBeFalse();
        var installation = refreshed.Items.ShouldHaveSingleItem();
        installation.InstallationId.ShouldBe(installationId);
        installation.IntegrationId.ShouldBe(integration.IntegrationId);
        installation.Enabled.ShouldBeTrue();
        installation.RemovedAt.ShouldBeNull();
        listed.Items.ShouldHaveSingleItem().InstallationId.ShouldBe(installationId);
        var row = admin.Items.ShouldHaveSingleItem();
        row.TenantId.ShouldBe(tenantId);
        row.InstallationId.ShouldBe(installationId);
        admin.NextCursor.ShouldBeNull();
        history.TenantId.ShouldBe(tenantId);
        history.Items.ShouldContain(c => c.Change == InstallationChangeKind.Installed && c.Source == InstallationChangeSource.FrontendRefresh);
        integrationsAfter.Items.Single(i => i.IntegrationId == integration.IntegrationId).Installed.ShouldBeTrue();
    }

    [Fact]
    public async Task AdminQueries_WhenPagedAndFiltered_ShouldFollowCursorsAndFilters()
    {
        // Arrange: three provisioned tenants; both keys, each sent on its own routes.
        using var typed = TypedHubClient.For(hub, adminKey: HubFactory.AdminKey);
        var tenantIds = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var tenantId = HubApi.NewTenantId("client-adm");
            await typed.Client.SignUpAsync(tenantId, "Admin Query Ltd");
            await typed.Client.WaitUntilProvisionedAsync(tenantId, TimeSpan.FromMilliseconds(100));
            tenantIds.Add(tenantId);
        }

        // Act: every provisioned tenant, two at a time.
        var seen = new List<Tenant>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await typed.Client.ListTenantsAsync(ProvisioningState.Provisioned, cursor, limit: 2);
            page.Items.Count.ShouldBeLessThanOrEqualTo(2);
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        var audit = await typed.Client.QueryAuditLogAsync(tenantIds[0], AuditAction.TenantSignedUp);
        var webhooks = await typed.Client.QueryInstallationWebhooksAsync(unmatched: true, limit: 5);
        var errors = await typed.Client.QueryIntegrationErrorsAsync(tenantId: tenantIds[0]);

        // Assert
        pages.ShouldBeGreaterThanOrEqualTo(2);
        seen.Select(t => t.TenantId).ShouldBeUnique();
        tenantIds.ShouldAllBe(id => seen.Any(t => t.TenantId == id));
        seen.ShouldAllBe(t => t.Alloy != null && t.Alloy.State == ProvisioningState.Provisioned);
        var entry = audit.Items.ShouldHaveSingleItem();
        entry.Action.ShouldBe(AuditAction.TenantSignedUp);
        entry.TenantId.ShouldBe(tenantIds[0]);
        entry.ActorKind.ShouldBe(AuditActorKind.Service);
        webhooks.Items.Count.ShouldBeLessThanOrEqualTo(5);
        webhooks.Items.ShouldAllBe(w => w.Status == InstallationWebhookStatus.Unmatched || w.TenantId == null);
        errors.Items.ShouldBeEmpty();
    }
}
