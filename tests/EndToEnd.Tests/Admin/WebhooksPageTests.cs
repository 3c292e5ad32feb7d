using IntegrationHub.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace IntegrationHub.EndToEnd.Tests.Admin;

/// <summary>
/// An admin on the console's Webhooks tab: registers the SaaS backend's receiver (the secret shown once), watches a
/// failed delivery, replays it, rotates the secret, replays since a time, disables and deletes the endpoint.
/// </summary>
public sealed class WebhooksPageTests(EndToEndEnvironment env)
{
    [Fact(Skip = Chromium.Missing, SkipType = typeof(Chromium), SkipUnless = nameof(Chromium.Installed))]
    public async Task WebhooksPage_WhenADeliveryFails_ShouldShowItAndReplayItAndManageTheEndpoint()
    {
        // Arrange: a receiver that is down for the first delivery and its one retry, then answers 200.
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailNext(2);
        var url = receiver.Url("/hooks/integration-hub");
        var page = await env.NewPageAsync();
        await SignInAsync(page);
        await page.GetByTestId("tab-webhooks").ClickAsync();
        await Expect(page.Locator("#webhooks-summary")).ToContainTextAsync("endpoint");

        // Act + Assert: an address that is not a URL is refused with the problem's detail and field message.
        await page.GetByTestId("webhook-new").ClickAsync();
        await page.GetByTestId("webhook-url").FillAsync("not a url");
        await page.GetByTestId("webhook-create-submit").ClickAsync();
        await Expect(page.GetByTestId("webhook-create-error")).ToContainTextAsync("One or more fields are invalid.");
        await Expect(page.GetByTestId("webhook-secret")).ToBeHiddenAsync();

        // Created for tenant.provisioned: the secret is shown once, in the page only.
        await page.GetByTestId("webhook-url").FillAsync(url);
        await page.GetByTestId("webhook-description").FillAsync("SaaS backend (test receiver)");
        await page.GetByTestId("webhook-type-tenant.provisioned").CheckAsync();
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("webhooks-01-new-endpoint"), FullPage = true });
        await page.GetByTestId("webhook-create-submit").ClickAsync();
        await Expect(page.GetByTestId("webhook-secret")).ToBeVisibleAsync();
        var secret = await page.GetByTestId("webhook-secret-value").InputValueAsync();
        secret.ShouldStartWith("whsec_");
        var row = page.Locator("#webhooks-table tr[data-endpoint]").Filter(new() { HasText = url });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("tenant.provisioned");
        var endpointId = (await row.GetAttributeAsync("data-endpoint"))!;
        await Expect(page.GetByTestId($"endpoint-status-{endpointId}")).ToHaveTextAsync("Enabled");
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("webhooks-02-secret-shown-once") });
        (await StorageAsync(page)).ShouldNotContain(secret);

        // Leaving the tab clears the secret; coming back does not show it again.
        await page.GetByTestId("tab-tenants").ClickAsync();
        await page.GetByTestId("tab-webhooks").ClickAsync();
        await Expect(page.GetByTestId("webhook-secret")).ToBeHiddenAsync();
        (await page.GetByTestId("webhook-secret-value").InputValueAsync()).ShouldBeEmpty();
        (await page.EvaluateAsync<string>("() => document.body.innerText")).ShouldNotContain(secret);
        (await StorageAsync(page)).ShouldNotContain(secret);

        // A tenant signs up: tenant.provisioned fails twice (first attempt and its retry) and shows as Failed.
        var tenantId = HubApi.NewTenantId("initech");
        await env.Api.SignUpAsync(tenantId, "Initech");
        var failures = await Poll.UntilAsync(() => Task.FromResult(receiver.About(tenantId)), r => r.Count >= 2, $"two failed deliveries about {tenantId}");
        var messageId = failures[0].Id;
        messageId.ShouldStartWith("msg_");
        failures.ShouldAllBe(r => r.Id == messageId && r.AnsweredStatus == 500);
        failures[0].Signature.ShouldBe(failures[0].SignatureWith(secret)); // the secret the page showed is the one that signs

        await page.GetByTestId($"deliveries-{endpointId}").ClickAsync();
        await Expect(page.GetByTestId($"delivery-status-{messageId}")).ToHaveTextAsync("Failed", new() { Timeout = 30_000 });
        await Expect(page.GetByTestId($"delivery-code-{messageId}")).ToHaveTextAsync("500");
        await Expect(page.GetByTestId($"delivery-attempts-{messageId}")).ToHaveTextAsync("2");
        await Expect(page.Locator($"#deliveries-table tr[data-message='{messageId}']")).ToContainTextAsync("tenant.provisioned");

        // The status filter: nothing Delivered yet, the Failed one under Failed.
        await page.GetByTestId("delivery-status").SelectOptionAsync("Delivered");
        await page.GetByTestId("delivery-apply").ClickAsync();
        await Expect(page.GetByTestId("deliveries-table")).ToContainTextAsync("No deliveries match.");
        await page.GetByTestId("delivery-status").SelectOptionAsync("Failed");
        await page.GetByTestId("delivery-apply").ClickAsync();
        await Expect(page.GetByTestId($"delivery-status-{messageId}")).ToHaveTextAsync("Failed");
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("webhooks-03-delivery-failed"), FullPage = true });

        // Replayed: the receiver gets the same message again, and the console shows it delivered.
        await page.GetByTestId("delivery-status").SelectOptionAsync("");
        await page.GetByTestId("delivery-apply").ClickAsync();
        await page.GetByTestId($"replay-{messageId}").ClickAsync();
        var replayed = await Poll.UntilAsync(() => Task.FromResult(receiver.About(tenantId)), r => r.Count >= 3, $"the replay of {messageId}");
        replayed[2].Id.ShouldBe(messageId);
        replayed[2].AnsweredStatus.ShouldBe(200);
        await Expect(page.GetByTestId($"delivery-status-{messageId}")).ToHaveTextAsync("Delivered", new() { Timeout = 30_000 });
        await Expect(page.GetByTestId($"delivery-code-{messageId}")).ToHaveTextAsync("200");
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("webhooks-04-replayed"), FullPage = true });

        // The secret rotated: a new one, shown once; deliveries are then signed with the new secret and the old one.
        await page.GetByTestId($"rotate-{endpointId}").ClickAsync();
        await Expect(page.GetByTestId("webhook-secret")).ToBeVisibleAsync();
        var rotated = await page.GetByTestId("webhook-secret-value").InputValueAsync();
        rotated.ShouldStartWith("whsec_");
        rotated.ShouldNotBe(secret);
        await Expect(page.GetByTestId($"endpoint-status-{endpointId}")).ToContainTextAsync("Old secret signs until");
        (await StorageAsync(page)).ShouldNotContain(rotated);
        await page.GetByTestId("webhook-secret-done").ClickAsync();
        await Expect(page.GetByTestId("webhook-secret")).ToBeHiddenAsync();

        await page.GetByTestId("replay-since-submit").ClickAsync();
        await Expect(page.Locator("#toast")).ToContainTextAsync("1 message since");
        var again = await Poll.UntilAsync(() => Task.FromResult(receiver.About(tenantId)), r => r.Count >= 4, "the replay since the endpoint was created");
        again[3].Id.ShouldBe(messageId);
        again[3].Signature.Split(' ').ShouldBe([again[3].SignatureWith(rotated), again[3].SignatureWith(secret)]);

        // Disabled: the reason shows, and a replay is refused with the problem's detail.
        await page.GetByTestId($"toggle-{endpointId}").ClickAsync();
        await Expect(page.GetByTestId($"endpoint-status-{endpointId}")).ToContainTextAsync("Disabled by an admin.");
        await Expect(page.GetByTestId($"toggle-{endpointId}")).ToHaveTextAsync("Enable");
        await page.GetByTestId("replay-since-submit").ClickAsync();
        await Expect(page.Locator("#toast")).ToContainTextAsync("is disabled; enable it first");
        await page.ScreenshotAsync(new() { Path = Artifacts.Screenshot("webhooks-05-disabled"), FullPage = true });

        // Deleted after confirming.
        await page.GetByTestId($"delete-{endpointId}").ClickAsync();
        await Expect(page.GetByTestId("webhook-confirm")).ToBeVisibleAsync();
        await page.GetByTestId("webhook-confirm-delete").ClickAsync();
        await Expect(page.Locator($"#webhooks-table tr[data-endpoint='{endpointId}']")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("webhook-deliveries")).ToBeHiddenAsync();
    }

    private static async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/admin/");
        await page.GetByTestId("credential").FillAsync(EndToEndHub.AdminKey);
        await page.GetByTestId("sign-in").ClickAsync();
        await Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync("Signed in with an admin key");
    }

    /// <summary>Everything the page keeps in sessionStorage and localStorage.</summary>
    private static Task<string> StorageAsync(IPage page) =>
        page.EvaluateAsync<string>("() => JSON.stringify([Object.entries(sessionStorage), Object.entries(localStorage)])");
}
