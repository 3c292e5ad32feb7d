using IntegrationHub.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace IntegrationHub.EndToEnd.Tests.Demo;

/// <summary>
/// The SaaS frontend's journey on /demo with Alloy's real frontend SDK (npm alloy-frontend 2.1.1): Chromium resolves
/// app.runalloy.com and embedded.runalloy.com to the sandbox over HTTPS, so the SDK's own iframe, postMessage protocol
/// and API calls run exactly as they would against Alloy.
/// </summary>
public sealed class DemoJourneyTests(EndToEndEnvironment env)
{
    private const string SlackId = "65f1a0c2e4b0a1b2c3d4e503";
    private const string ModalFrame = "iframe[src^='https://app.runalloy.com/forge-install']";

    [Fact(Skip = Chromium.Missing, SkipType = typeof(Chromium), SkipUnless = nameof(Chromium.Installed))]
    public async Task Install_WhenMemberConnectsSlackThroughTheRealSdk_ShouldRecordItForThatTenantOnly()
    {
        // Arrange: two tenants signed up by the SaaS backend.
        var acme = HubApi.NewTenantId("acme");
        var globex = HubApi.NewTenantId("globex");
        await env.Api.SignUpAsync(acme, "Acme Ltd");
        await env.Api.SignUpAsync(globex, "Globex Corp");
        var page = await env.NewPageAsync();
        await page.GotoAsync("/demo/");
        await Expect(page.GetByTestId("sdk-version")).ToHaveTextAsync("alloy-frontend 2.1.1");
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("demo-01-start") });

        await page.GetByTestId("tenant-id").FillAsync(acme);
        await page.GetByTestId("member-sign-in").ClickAsync();
        await Expect(page.GetByTestId("tenant-state")).ToContainTextAsync("Provisioned");
        await Expect(page.GetByTestId("install-slack")).ToBeEnabledAsync();
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("demo-02-tenant-provisioned"), FullPage = true });

        // Act: Install → hub token → Alloy.setToken → Alloy.install → the sandbox's modal in the SDK's iframe → Connect.
        await page.GetByTestId("install-slack").ClickAsync();
        var modal = page.FrameLocator(ModalFrame);
        await Expect(modal.GetByTestId("alloy-sandbox-connect")).ToBeVisibleAsync();
        var src = await page.Locator(ModalFrame).GetAttributeAsync("src");
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("demo-03-alloy-modal") });
        await modal.GetByTestId("alloy-sandbox-connect").ClickAsync();

        // Assert: the SDK called back with success (twice: workflowCreated, then closeModal), the page refreshed once,
        // the modal is gone and the installation shows.
        var activity = page.GetByTestId("activity");
        await Expect(activity.Locator("li", new() { HasText = "The hub recorded 1 installation" })).ToHaveCountAsync(1);
        await Expect(activity.Locator("li", new() { HasText = "callback({\"success\":true})" })).ToHaveCountAsync(2);
        await Expect(page.Locator(ModalFrame)).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("installed-slack")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("installations-table")).ToContainTextAsync("Slack");
        await Expect(activity.Locator("li", new() { HasText = "POST /api/tenants/" + acme + "/installations/refresh" })).ToHaveCountAsync(1);

        src.ShouldNotBeNull();
        src.ShouldStartWith($"https://app.runalloy.com/forge-install?integrationId={SlackId}&token=");
        src.ShouldEndWith("&forgeMode=engaged");

        var recorded = await env.Api.InstallationsAsync(acme);
        recorded.Count.ShouldBe(1);
        recorded[0].GetProperty("integrationId").GetString().ShouldBe(SlackId);
        recorded[0].GetProperty("enabled").GetBoolean().ShouldBeTrue();

        // The SDK's own API call (GET embedded.runalloy.com/2024-03/integrations with x-alloy-user-token, CORS) sees it too.
        await page.GetByTestId("ask-alloy").ClickAsync();
        await Expect(activity.Locator("li", new() { HasText = "Alloy says:" })).ToContainTextAsync("Slack (installed)");
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("demo-04-installed"), FullPage = true });

        // A member of the second tenant sees nothing of it.
        await page.GetByTestId("tenant-id").FillAsync(globex);
        await page.GetByTestId("member-sign-in").ClickAsync();
        await Expect(page.GetByTestId("tenant-state")).ToContainTextAsync("Provisioned");
        await Expect(page.GetByTestId("no-installations")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("install-slack")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("demo-05-second-tenant"), FullPage = true });
        (await env.Api.InstallationsAsync(globex)).ShouldBeEmpty();

        using var globexMember = env.Hub.CreateClient();
        globexMember.DefaultRequestHeaders.Authorization = new("Bearer", await env.Api.MemberJwtAsync(globex));
        using var crossTenant = await globexMember.GetAsync($"/api/tenants/{acme}/installations");
        crossTenant.StatusCode.ShouldBe(System.Net.HttpStatusCode.Forbidden);
    }

    [Fact(Skip = Chromium.Missing, SkipType = typeof(Chromium), SkipUnless = nameof(Chromium.Installed))]
    public async Task Install_WhenMemberCancelsTheModal_ShouldCallBackWithoutSuccessAndInstallNothing()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId("initech");
        await env.Api.SignUpAsync(tenantId, "Initech");
        var userId = (await env.Api.WaitForStateAsync(tenantId, "Provisioned")).GetProperty("alloy").GetProperty("userId").GetString()!;
        var page = await env.NewPageAsync();
        await page.GotoAsync("/demo/");
        await page.GetByTestId("tenant-id").FillAsync(tenantId);
        await page.GetByTestId("member-sign-in").ClickAsync();
        await Expect(page.GetByTestId("install-shopify")).ToBeEnabledAsync();

        // Act
        await page.GetByTestId("install-shopify").ClickAsync();
        var modal = page.FrameLocator(ModalFrame);
        await Expect(modal.GetByText("Connect Shopify")).ToBeVisibleAsync();
        await modal.GetByTestId("alloy-sandbox-cancel").ClickAsync();

        // Assert: one callback with success false, no refresh, the modal closed and the button usable again.
        var activity = page.GetByTestId("activity");
        await Expect(activity.Locator("li", new() { HasText = "callback({\"success\":false})" })).ToHaveCountAsync(1);
        await Expect(activity.Locator("li", new() { HasText = "closed without installing Shopify" })).ToHaveCountAsync(1);
        await Expect(page.Locator(ModalFrame)).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("install-shopify")).ToBeEnabledAsync();
        await Expect(activity.Locator("li", new() { HasText = "/installations/refresh" })).ToHaveCountAsync(0);
        using var sandbox = env.SandboxApi;
        (await sandbox.InstallationsOfUserAsync(userId)).ShouldBeEmpty();
    }

    [Fact(Skip = Chromium.Missing, SkipType = typeof(Chromium), SkipUnless = nameof(Chromium.Installed))]
    public async Task SendTestEvent_WhenTheMemberSendsOne_ShouldReachTheTenantsAlloyUser_AndAnUnknownNameListsTheKnownOnes()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId("umbrella");
        await env.Api.SignUpAsync(tenantId, "Umbrella Corp");
        var userId = (await env.Api.WaitForStateAsync(tenantId, "Provisioned")).GetProperty("alloy").GetProperty("userId").GetString()!;
        var page = await env.NewPageAsync();
        await page.GotoAsync("/demo/");
        await page.GetByTestId("tenant-id").FillAsync(tenantId);
        await page.GetByTestId("member-sign-in").ClickAsync();
        await Expect(page.GetByTestId("tenant-state")).ToContainTextAsync("Provisioned");

        // Act
        await page.GetByTestId("event-data").FillAsync("""{"ticketId": "T-7", "subject": "Demo", "priority": "low"}""");
        await page.GetByTestId("send-event").ClickAsync();

        // Assert: the page follows the event to Delivered, and the sandbox received it for this tenant's Alloy user.
        await Expect(page.GetByTestId("event-status")).ToContainTextAsync("Delivered to Alloy user " + userId);
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("demo-06-test-event"), FullPage = true });
        using var sandbox = env.SandboxApi;
        var received = await sandbox.AlloyAsync(HttpMethod.Get, "_sandbox/events?userId=" + userId);
        var events = received.GetProperty("data").EnumerateArray().ToList();
        events.Count.ShouldBe(1);
        events[0].GetProperty("event").GetString().ShouldBe("ticket.created");
        events[0].GetProperty("data").GetProperty("ticketId").GetString().ShouldBe("T-7");

        // An event name the Alloy account does not have: the page shows the hub's problem with the known names.
        await page.GetByTestId("event-name").FillAsync("ticket.exploded");
        await page.GetByTestId("send-event").ClickAsync();
        await Expect(page.GetByTestId("event-status")).ToContainTextAsync("Known events:");
        await Expect(page.GetByTestId("event-status")).ToContainTextAsync("ticket.created");
    }
}
