using System.Text.Json;
using IntegrationHub.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace IntegrationHub.EndToEnd.Tests.Demo;

/// <summary>
/// The hub's browser helper (clients/browser, npm <c>@integrationhub/browser</c>) in Chromium with Alloy's real
/// frontend SDK against the hub and the standalone sandbox. The /demo page loads both bundles
/// (<c>window.IntegrationHubBrowser</c>, <c>window.Alloy</c>); each test calls the helper there as a SaaS page would,
/// with a member's JWT from <c>/dev/jwt</c>, and records what it reports.
/// </summary>
public sealed class BrowserHelperTests(EndToEndEnvironment env)
{
    private const string SlackId = "65f1a0c2e4b0a1b2c3d4e503";
    private const string ModalFrame = "iframe[src^='https://app.runalloy.com/forge-install']";

    /// <summary>
    /// Starts <c>connectIntegration</c> in the page and keeps its outcome in <c>window.helperRun</c>: the states
    /// reported, every SDK callback, and the promise's result (the installation, or the error's name and fields).
    /// </summary>
    private const string StartConnect = """
        async ({ tenantId, integrationId, maxProvisioningWaitSeconds }) => {
          const issued = await fetch("/dev/jwt", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ tenantId }) });
          const jwt = (await issued.json()).token;
          const run = { statuses: [], callbacks: [], outcome: null };
          window.helperRun = run;
          run.promise = window.IntegrationHubBrowser.connectIntegration({
            hubUrl: location.origin,
            tenantId,
            integrationId,
            getAccessToken: async () => jwt,
            alloy: window.Alloy,
            onStatus: (status) => run.statuses.push(status),
            onSdkCallback: (result) => run.callbacks.push(result),
            maxProvisioningWaitSeconds,
          }).then(
            (installation) => ({ ok: true, installation }),
            (error) => ({ ok: false, name: error.name, type: error.type ?? null, status: error.status ?? null, title: error.title ?? null, detail: error.detail ?? null, isHubError: error instanceof window.IntegrationHubBrowser.IntegrationHubError }));
        }
        """;

    /// <summary>Calls a helper function that needs no modal and returns its result or its error's fields.</summary>
    private const string CallHelper = """
        async ({ tenantId, call }) => {
          const issued = await fetch("/dev/jwt", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ tenantId }) });
          const jwt = (await issued.json()).token;
          const helper = window.IntegrationHubBrowser;
          const options = { hubUrl: location.origin, tenantId, getAccessToken: async () => jwt };
          try {
            const value = call === "listIntegrations" ? await helper.listIntegrations(options) : await helper.connectIntegration({ ...options, integrationId: "65f1a0c2e4b0a1b2c3d4e503", alloy: window.Alloy });
            return { ok: true, value };
          } catch (error) {
            return { ok: false, name: error.name, type: error.type ?? null, status: error.status ?? null, title: error.title ?? null, detail: error.detail ?? null, isHubError: error instanceof helper.IntegrationHubError };
          }
        }
        """;

    [Fact(Skip = Chromium.Missing, SkipType = typeof(Chromium), SkipUnless = nameof(Chromium.Installed))]
    public async Task ConnectIntegration_WhenMemberConnectsSlack_ShouldResolveWithTheRecordedInstallationAfterOneRefresh()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId("helper");
        await env.Api.SignUpAsync(tenantId, "Helper Ltd");
        await env.Api.WaitForStateAsync(tenantId, "Provisioned");
        var page = await OpenDemoAsync();
        var refreshes = CountRefreshes(page);

        // Act: the helper asks for a token, opens Alloy's modal through the real SDK; the member connects.
        await page.EvaluateAsync(StartConnect, new { tenantId, integrationId = SlackId, maxProvisioningWaitSeconds = 60 });
        var modal = page.FrameLocator(ModalFrame);
        await Expect(modal.GetByTestId("alloy-sandbox-connect")).ToBeVisibleAsync();
        await modal.GetByTestId("alloy-sandbox-connect").ClickAsync();
        var outcome = await OutcomeAsync(page);
        await Expect(page.Locator(ModalFrame)).ToHaveCountAsync(0);
        await page.WaitForFunctionAsync("() => window.helperRun.callbacks.length >= 2");

        // Assert: resolved with the hub's record; the SDK called back twice, the helper refreshed once.
        outcome.GetProperty("ok").GetBoolean().ShouldBeTrue(outcome.ToString());
        var installation = outcome.GetProperty("installation");
        installation.GetProperty("integrationId").GetString().ShouldBe(SlackId);
        installation.GetProperty("integrationName").GetString().ShouldBe("Slack");
        installation.GetProperty("enabled").GetBoolean().ShouldBeTrue();

        var run = await RunAsync(page);
        States(run).ShouldBe(["requesting-token", "installing", "refreshing", "done"]);
        run.GetProperty("callbacks").EnumerateArray().Select(c => c.GetProperty("success").GetBoolean()).ShouldBe([true, true]);
        refreshes.Count.ShouldBe(1);

        var recorded = await env.Api.InstallationsAsync(tenantId);
        recorded.Count.ShouldBe(1);
        recorded[0].GetProperty("installationId").GetString().ShouldBe(installation.GetProperty("installationId").GetString());
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("helper-01-connected") });
    }

    [Fact(Skip = Chromium.Missing, SkipType = typeof(Chromium), SkipUnless = nameof(Chromium.Installed))]
    public async Task ConnectIntegration_WhenTheAlloyUserIsStillBeingCreated_ShouldReportProvisioningPendingThenComplete()
    {
        // Arrange: the sandbox holds every POST /users, so the new tenant's Alloy user cannot be created yet.
        using var sandbox = env.SandboxApi;
        var tenantId = HubApi.NewTenantId("pending");
        await sandbox.CloseGateAsync("POST", "/users", times: 100);
        try
        {
            await env.Api.SignUpAsync(tenantId, "Pending Ltd");
            await Poll.UntilAsync(() => sandbox.HeldAtGateAsync(), held => held >= 1, "the tenant's POST /users to wait at the gate", TimeSpan.FromSeconds(20));
            var page = await OpenDemoAsync();

            // Act: the member clicks Install while provisioning is pending; once the helper reports it, the gate opens.
            // While the hub's attempt is under way its Retry-After is the attempt's lease (minutes), so the helper's
            // bound decides: it waits 5 s, then asks once more (the hub waits up to Provisioning:InlineWait inline).
            await page.EvaluateAsync(StartConnect, new { tenantId, integrationId = SlackId, maxProvisioningWaitSeconds = 5 });
            await page.WaitForFunctionAsync(
                "() => window.helperRun.statuses.some(s => s.state === 'provisioning-pending')",
                null,
                new() { Timeout = 40_000 });
            await sandbox.OpenGateAsync();
            var modal = page.FrameLocator(ModalFrame);
            await Expect(modal.GetByTestId("alloy-sandbox-connect")).ToBeVisibleAsync(new() { Timeout = 40_000 });
            await modal.GetByTestId("alloy-sandbox-connect").ClickAsync();
            var outcome = await OutcomeAsync(page);

            // Assert
            outcome.GetProperty("ok").GetBoolean().ShouldBeTrue(outcome.ToString());
            outcome.GetProperty("installation").GetProperty("integrationId").GetString().ShouldBe(SlackId);
            var run = await RunAsync(page);
            var states = States(run);
            states[0].ShouldBe("requesting-token");
            states[1].ShouldBe("provisioning-pending");
            states[^3..].ShouldBe(["installing", "refreshing", "done"]);
            var pending = run.GetProperty("statuses").EnumerateArray().First(s => s.GetProperty("state").GetString() == "provisioning-pending");
            pending.GetProperty("retryAfterSeconds").GetDouble().ShouldBeInRange(1, 5);
            (await env.Api.GetTenantAsync(tenantId)).GetProperty("alloy").GetProperty("state").GetString().ShouldBe("Provisioned");
            (await env.Api.InstallationsAsync(tenantId)).Count.ShouldBe(1);
        }
        finally
        {
            await sandbox.OpenGateAsync();
        }
    }

    [Fact(Skip = Chromium.Missing, SkipType = typeof(Chromium), SkipUnless = nameof(Chromium.Installed))]
    public async Task ConnectIntegration_WhenTheTenantIsUnknownOrOffboarded_ShouldRejectWithTheHubsProblemType()
    {
        // Arrange
        var unknown = HubApi.NewTenantId("nobody");
        var offboarded = HubApi.NewTenantId("gone");
        await env.Api.SignUpAsync(offboarded, "Gone Ltd");
        await env.Api.WaitForStateAsync(offboarded, "Provisioned");
        using (var service = env.Hub.CreateClient(EndToEndHub.ServiceKey))
        {
            using var deleted = await service.DeleteAsync($"/api/tenants/{offboarded}", TestContext.Current.CancellationToken);
            deleted.StatusCode.ShouldBe(System.Net.HttpStatusCode.Accepted);
        }

        var page = await OpenDemoAsync();

        // Act
        var notFound = await page.EvaluateAsync<JsonElement>(CallHelper, new { tenantId = unknown, call = "connectIntegration" });
        var gone = await page.EvaluateAsync<JsonElement>(CallHelper, new { tenantId = offboarded, call = "connectIntegration" });

        // Assert: typed errors carrying the problem type; no modal was opened.
        notFound.GetProperty("ok").GetBoolean().ShouldBeFalse();
        notFound.GetProperty("isHubError").GetBoolean().ShouldBeTrue();
        notFound.GetProperty("name").GetString().ShouldBe("IntegrationHubError");
        notFound.GetProperty("type").GetString().ShouldBe("tenant-not-found");
        notFound.GetProperty("status").GetInt32().ShouldBe(404);
        notFound.GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain(unknown);

        gone.GetProperty("ok").GetBoolean().ShouldBeFalse();
        gone.GetProperty("isHubError").GetBoolean().ShouldBeTrue();
        gone.GetProperty("type").GetString().ShouldBe("tenant-offboarded");
        gone.GetProperty("status").GetInt32().ShouldBe(409);
        gone.GetProperty("title").GetString().ShouldBe("Tenant offboarded");
        await Expect(page.Locator(ModalFrame)).ToHaveCountAsync(0);
    }

    [Fact(Skip = Chromium.Missing, SkipType = typeof(Chromium), SkipUnless = nameof(Chromium.Installed))]
    public async Task ListIntegrations_WhenMemberAsks_ShouldReturnTheTenantsIntegrations()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId("lister");
        await env.Api.SignUpAsync(tenantId, "Lister Ltd");
        await env.Api.WaitForStateAsync(tenantId, "Provisioned");
        var page = await OpenDemoAsync();

        // Act
        var listed = await page.EvaluateAsync<JsonElement>(CallHelper, new { tenantId, call = "listIntegrations" });

        // Assert
        listed.GetProperty("ok").GetBoolean().ShouldBeTrue(listed.ToString());
        var integrations = listed.GetProperty("value").EnumerateArray().ToList();
        integrations.Select(i => i.GetProperty("name").GetString()).ShouldBe(["Shopify", "Salesforce", "Slack"], ignoreOrder: true);
        integrations.ShouldAllBe(i => !i.GetProperty("installed").GetBoolean());
        integrations.Single(i => i.GetProperty("name").GetString() == "Slack").GetProperty("integrationId").GetString().ShouldBe(SlackId);
    }

    private async Task<IPage> OpenDemoAsync()
    {
        var page = await env.NewPageAsync();
        await page.GotoAsync("/demo/");
        await Expect(page.GetByTestId("sdk-version")).ToHaveTextAsync("alloy-frontend 2.1.1");
        (await page.EvaluateAsync<bool>("() => typeof window.IntegrationHubBrowser?.connectIntegration === 'function'")).ShouldBeTrue();
        return page;
    }

    /// <summary>The page's calls of the hub's refresh route, as Chromium sent them.</summary>
    private static List<string> CountRefreshes(IPage page)
    {
        var refreshes = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Method == "POST" && request.Url.EndsWith("/installations/refresh", StringComparison.Ordinal))
            {
                lock (refreshes)
                {
                    refreshes.Add(request.Url);
                }
            }
        };
        return refreshes;
    }

    private static Task<JsonElement> OutcomeAsync(IPage page) => page.EvaluateAsync<JsonElement>("() => window.helperRun.promise");

    private static Task<JsonElement> RunAsync(IPage page) =>
        page.EvaluateAsync<JsonElement>("() => ({ statuses: window.helperRun.statuses.map(s => ({ state: s.state, retryAfterSeconds: s.retryAfterSeconds ?? null })), callbacks: window.helperRun.callbacks })");

    private static string[] States(JsonElement run) =>
        [.. run.GetProperty("statuses").EnumerateArray().Select(s => s.GetProperty("state").GetString()!)];
}
