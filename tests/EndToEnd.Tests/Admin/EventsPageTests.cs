using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace IntegrationHub.EndToEnd.Tests.Admin;

/// <summary>
/// An admin on the console's Events tab: a tenant's events sent through the service route, two of them refused by
/// Alloy (Failed at once), filtered by tenant, status and name; one opened with its payload (escaped) and attempts; a
/// stale Replay answered with the problem's detail; a Failed one replayed and seen Delivered.
/// </summary>
public sealed class EventsPageTests(EndToEndEnvironment env)
{
    private const string Hostile = "<img src=x onerror=\"window.__xss=1\"> & <b>bold</b>";

    [Fact(Skip = Chromium.Missing, SkipType = typeof(Chromium), SkipUnless = nameof(Chromium.Installed))]
    public async Task EventsPage_WhenAnEventFailed_ShouldShowItsPayloadAndAttemptsAndReplayItToDelivered()
    {
        // Arrange: a provisioned tenant; Alloy refuses the next two POST /run/event with 400 (a refusal: Failed at once).
        var tenantId = HubApi.NewTenantId("globex");
        await env.Api.SignUpAsync(tenantId, "Globex");
        var tenant = await env.Api.WaitForStateAsync(tenantId, "Provisioned");
        var userId = tenant.GetProperty("alloy").GetProperty("userId").GetString()!;
        string refused, stale, delivered;
        using (var sandbox = env.SandboxApi)
        {
            await sandbox.SetFaultsAsync(new { scripted = new[] { new { method = "POST", path = "/run/event", status = 400, times = 2 } } });
            try
            {
                refused = await env.Api.SendEventAsync(tenantId, "ticket.created", new { ticketId = "T-1", subject = Hostile, priority = "high" });
                await env.Api.WaitForEventAsync(tenantId, refused, "Failed");
                stale = await env.Api.SendEventAsync(tenantId, "ticket.created", new { ticketId = "T-2", subject = "Printer on fire", priority = "low" });
                await env.Api.WaitForEventAsync(tenantId, stale, "Failed");
            }
            finally
            {
                await sandbox.ClearFaultsAsync();
            }

            delivered = await env.Api.SendEventAsync(tenantId, "invoice.paid", new { invoiceId = "INV-7", amount = 42.5, currency = "EUR" });
            await env.Api.WaitForEventAsync(tenantId, delivered, "Delivered");
        }

        var page = await env.NewPageAsync();
        var dialogs = 0;
        page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };
        await SignInAsync(page);
        await page.GetByTestId("tab-events").ClickAsync();
        await Expect(page.Locator("#events-summary")).ToContainTextAsync("row");

        // Act + Assert: a tenant id that is not one is refused with the problem's detail and field message.
        await page.GetByTestId("event-tenant").FillAsync("not a tenant!");
        await page.GetByTestId("event-apply").ClickAsync();
        await Expect(page.GetByTestId("events-error")).ToContainTextAsync("One or more fields are invalid.");
        await Expect(page.GetByTestId("events-error")).ToContainTextAsync("A tenant id is 1 to 64 characters");

        // Filtered by tenant: its three events, newest first, with status, attempts and the last error.
        await page.GetByTestId("event-tenant").FillAsync(tenantId);
        await page.GetByTestId("event-apply").ClickAsync();
        await Expect(page.GetByTestId("events-error")).ToBeHiddenAsync();
        var rows = page.Locator("#events-table tr[data-event]");
        await Expect(rows).ToHaveCountAsync(3);
        (await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.event)")).ShouldBe([delivered, stale, refused]);
        await Expect(page.GetByTestId($"event-status-{refused}")).ToHaveTextAsync("Failed");
        await Expect(page.GetByTestId($"event-attempts-{refused}")).ToHaveTextAsync("1");
        await Expect(page.Locator($"#events-table tr[data-event='{refused}']")).ToContainTextAsync("Alloy answered POST /run/event with 400");
        await Expect(page.GetByTestId($"event-status-{delivered}")).ToHaveTextAsync("Delivered");
        await Expect(page.GetByTestId($"event-replay-{delivered}")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId($"event-replay-{refused}")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("events-01-list"), FullPage = true });

        // The status and name filters.
        await page.GetByTestId("event-status").SelectOptionAsync("Failed");
        await page.GetByTestId("event-apply").ClickAsync();
        await Expect(rows).ToHaveCountAsync(2);
        await page.GetByTestId("event-status").SelectOptionAsync("");
        await page.GetByTestId("event-name").FillAsync("invoice.paid");
        await page.GetByTestId("event-apply").ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(page.GetByTestId($"event-status-{delivered}")).ToHaveTextAsync("Delivered");
        await page.GetByTestId("event-name").FillAsync("");
        await page.GetByTestId("event-limit").SelectOptionAsync("10");
        await page.GetByTestId("event-apply").ClickAsync();
        await Expect(rows).ToHaveCountAsync(3);

        // One event: its payload pretty-printed as text (the hostile subject is not markup), its user and its attempt.
        await page.GetByTestId($"event-open-{refused}").ClickAsync();
        await Expect(page.GetByTestId("event-detail")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("event-detail-id")).ToHaveTextAsync(refused);
        await Expect(page.GetByTestId("event-detail-status")).ToHaveTextAsync("Failed");
        await Expect(page.GetByTestId("event-detail-user")).ToHaveTextAsync("recorded on delivery");
        var data = JsonDocument.Parse(await page.GetByTestId("event-data").TextContentAsync() ?? "").RootElement;
        data.GetProperty("ticketId").GetString().ShouldBe("T-1");
        data.GetProperty("subject").GetString().ShouldBe(Hostile);
        (await page.GetByTestId("event-data").InnerTextAsync()).ShouldContain("\n  \"subject\"");
        (await page.Locator("#event-data img, #event-data b").CountAsync()).ShouldBe(0);
        (await page.EvaluateAsync<bool>("() => window.__xss === undefined")).ShouldBeTrue();
        var attempts = page.Locator("#event-attempts tbody tr[data-outcome]");
        await Expect(attempts).ToHaveCountAsync(1);
        await Expect(attempts.First).ToContainTextAsync("failed");
        await Expect(attempts.First).ToContainTextAsync("Alloy answered POST /run/event with 400");
        await Expect(page.GetByTestId("event-detail-replay")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("events-02-failed-event"), FullPage = true });

        // A stale Replay: the event was replayed meanwhile, so the hub refuses and the page shows the problem's detail.
        using (var replayed = await env.Api.ReplayEventAsync(stale))
        {
            replayed.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        await env.Api.WaitForEventAsync(tenantId, stale, "Delivered");
        await page.GetByTestId($"event-replay-{stale}").ClickAsync();
        await Expect(page.GetByTestId("event-confirm")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("event-confirm")).ToContainTextAsync(stale);
        await page.GetByTestId("event-confirm-replay").ClickAsync();
        await Expect(page.GetByTestId("event-replay-result")).ToContainTextAsync($"Event '{stale}' is Delivered; only a Failed event can be replayed.");
        await Expect(page.GetByTestId($"event-status-{stale}")).ToHaveTextAsync("Delivered");
        await Expect(page.GetByTestId($"event-replay-{stale}")).ToHaveCountAsync(0);

        // Cancelling the confirmation sends nothing.
        await page.GetByTestId("event-detail-replay").ClickAsync();
        await page.GetByTestId("event-confirm-cancel").ClickAsync();
        await Expect(page.GetByTestId("event-confirm")).ToBeHiddenAsync();
        (await env.Api.GetEventAsync(tenantId, refused)).GetProperty("status").GetString().ShouldBe("Failed");

        // Replayed from its detail after confirming: the page shows the result and then the event Delivered.
        await page.GetByTestId("event-detail-replay").ClickAsync();
        await page.GetByTestId("event-confirm-replay").ClickAsync();
        await Expect(page.GetByTestId("event-replay-result")).ToContainTextAsync($"Event {refused} replayed");
        await Expect(page.GetByTestId($"event-status-{refused}")).ToHaveTextAsync("Delivered", new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("event-detail-status")).ToHaveTextAsync("Delivered", new() { Timeout = 30_000 });
        await Expect(page.GetByTestId($"event-replay-{refused}")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("event-detail-replay")).ToBeHiddenAsync();
        await Expect(attempts).ToHaveCountAsync(2);
        await Expect(attempts.Last).ToContainTextAsync("delivered");
        await Expect(page.GetByTestId("event-detail-user")).ToHaveTextAsync(userId);
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("events-03-replayed"), FullPage = true });

        // Alloy ran the replayed event for the tenant's user with the payload as sent.
        using var sandboxClient = env.SandboxApi;
        var received = await sandboxClient.Http.GetFromJsonAsync<JsonElement>($"/_sandbox/events?userId={userId}&event=ticket.created");
        received.GetProperty("data").EnumerateArray()
            .Select(e => e.GetProperty("data").GetProperty("ticketId").GetString())
            .ShouldBe(["T-1", "T-2"], ignoreOrder: true);
        dialogs.ShouldBe(0);
    }

    private static async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/admin/");
        await page.GetByTestId("credential").FillAsync(EndToEndHub.AdminKey);
        await page.GetByTestId("sign-in").ClickAsync();
        await Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync("Signed in with an admin key");
    }
}
