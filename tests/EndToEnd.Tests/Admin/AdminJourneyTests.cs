using IntegrationHub.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace IntegrationHub.EndToEnd.Tests.Admin;

/// <summary>An admin in the browser: sign in to /admin, find and retry a failed tenant, filter and export installations, open the jobs dashboard.</summary>
public sealed class AdminJourneyTests(EndToEndEnvironment env)
{
    private const string ShopifyId = "65f1a0c2e4b0a1b2c3d4e501";

    [Fact(Skip = Chromium.Missing, SkipType = typeof(Chromium), SkipUnless = nameof(Chromium.Installed))]
    public async Task AdminConsole_WhenATenantFailedProvisioning_ShouldRetryItAndFilterAndExportInstallations()
    {
        // Arrange: one tenant whose provisioning Alloy refuses (a scripted 400 that does not mean "exists"), and one
        // provisioned tenant with a Shopify installation the hub has recorded.
        using var sandbox = env.SandboxApi;
        var failing = HubApi.NewTenantId("umbrella");
        await sandbox.SetFaultsAsync(new { scripted = new[] { new { method = "POST", path = "/users", status = 400, times = 1 } } });
        try
        {
            await env.Api.SignUpAsync(failing, "Umbrella Corp");
            await env.Api.WaitForStateAsync(failing, "Failed");
        }
        finally
        {
            await sandbox.ClearFaultsAsync();
        }

        var installed = HubApi.NewTenantId("hooli");
        await env.Api.SignUpAsync(installed, "Hooli");
        var userId = (await env.Api.WaitForStateAsync(installed, "Provisioned")).GetProperty("alloy").GetProperty("userId").GetString()!;
        var installationId = await sandbox.InstallAsync(userId, ShopifyId);
        (await env.Api.RefreshInstallationsAsync(installed)).Count.ShouldBe(1);

        var page = await env.NewPageAsync();

        // Act + Assert: sign in.
        await page.GotoAsync("/admin/");
        await Expect(page.GetByTestId("credential")).ToBeFocusedAsync();
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("admin-01-sign-in") });
        await page.GetByTestId("credential").FillAsync(EndToEndHub.AdminKey);
        await page.GetByTestId("sign-in").ClickAsync();
        await Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync("Signed in with an admin key");
        await Expect(page.GetByTestId("jobs-link")).ToBeVisibleAsync();
        (await page.EvaluateAsync<int>("() => localStorage.length")).ShouldBe(0);
        (await page.EvaluateAsync<string>("() => sessionStorage.getItem('integrationhub.admin.credential')")).ShouldBe(EndToEndHub.AdminKey);
        page.Url.ShouldNotContain(EndToEndHub.AdminKey);

        // The failed tenant, found by filtering on its state, retried and provisioned.
        await page.GetByTestId("tenant-state").SelectOptionAsync("Failed");
        await page.GetByTestId("tenant-apply").ClickAsync();
        var failedRow = page.Locator($"#tenants-table tr[data-tenant='{failing}']");
        await Expect(failedRow.GetByTestId($"state-{failing}")).ToHaveTextAsync("Failed");
        await Expect(page.Locator("#tenants-table tbody tr[data-tenant]").Filter(new() { HasNotText = "Failed" })).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("admin-02-failed-tenant"), FullPage = true });

        await page.GetByTestId($"retry-{failing}").ClickAsync();
        await Expect(page.GetByTestId($"state-{failing}")).ToHaveTextAsync("Provisioned");
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("admin-03-tenant-retried"), FullPage = true });
        (await env.Api.GetTenantAsync(failing)).GetProperty("alloy").GetProperty("state").GetString().ShouldBe("Provisioned");

        // Installations filtered by tenant, with history and CSV export.
        await page.GetByTestId("tab-installations").ClickAsync();
        await page.GetByTestId("installation-tenant").FillAsync(installed);
        await page.GetByTestId("installation-enabled").SelectOptionAsync("true");
        await page.GetByTestId("installation-apply").ClickAsync();
        var rows = page.Locator("#installations-table tbody tr[data-installation]");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync(installationId);
        await Expect(rows.First).ToContainTextAsync("Shopify");
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("admin-04-installations"), FullPage = true });

        await page.GetByTestId($"history-{installationId}").ClickAsync();
        await Expect(page.GetByTestId("history-dialog")).ToContainTextAsync("Installed");
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("admin-05-installation-history") });
        await page.Locator("#history-close").ClickAsync();

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("installation-export").ClickAsync());
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        download.SuggestedFilename.ShouldEndWith(".csv");
        csv.ShouldStartWith("tenantId,installationId,integrationId,integrationName,enabled");
        csv.ShouldContain($"{installed},{installationId},{ShopifyId},Shopify,true");
        csv.ShouldNotContain(failing);

        // The audit log shows the admin's retry.
        await page.GetByTestId("tab-audit").ClickAsync();
        await Expect(page.GetByTestId("audit-table")).ToContainTextAsync("ProvisioningRetried");
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("admin-06-audit-log"), FullPage = true });

        // The jobs dashboard opens with the session cookie the console obtained.
        var dashboard = await page.GotoAsync("/hangfire/");
        dashboard!.Status.ShouldBe(200);
        await Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("IntegrationHub jobs"));
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("admin-07-hangfire-dashboard") });

        // Signing out forgets the credential and closes the dashboard.
        await page.GotoAsync("/admin/");
        await Expect(page.GetByTestId("signed-in-as")).ToBeVisibleAsync();
        var endSession = await page.RunAndWaitForResponseAsync(
            () => page.GetByTestId("sign-out").ClickAsync(),
            r => r.Url.EndsWith("/admin/session", StringComparison.Ordinal) && r.Request.Method == "DELETE");
        endSession.Status.ShouldBe(204);
        await Expect(page.GetByTestId("credential")).ToBeVisibleAsync();
        (await page.EvaluateAsync<int>("() => sessionStorage.length")).ShouldBe(0);
        (await page.Context.CookiesAsync()).ShouldNotContain(c => c.Name == "hub_dashboard");
        (await page.GotoAsync("/hangfire/"))!.Status.ShouldBe(401);
    }
}
