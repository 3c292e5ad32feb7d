using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using IntegrationHub.AlloySandbox.Tests.Support;
using IntegrationHub.AlloySandbox.Webhooks;
using IntegrationHub.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.AlloySandbox.Tests;

/// <summary>
/// The sandbox as Alloy's Integration Installation Webhook (docs/alloy-api.md): when an installation completes (H2 or
/// the modal's Connect) it posts <c>{userId, workflowIds, integrationId, credentials, success}</c>, signed like every
/// Alloy webhook, to <c>AlloySandbox:Webhooks:InstallationUrl</c>, in the background: the install never waits for it.
/// </summary>
public sealed class InstallationWebhookTests
{
    private const string ReceiverUrl = "https://hub.example.test/api/webhooks/alloy/installations";
    private const string SlackId = "65f1a0c2e4b0a1b2c3d4e503";
    private const string SlackWorkflowId = "65f1a0c2e4b0a1b2c3d4e531";
    private const string SlackBlockId = "3f1c9a52-6d0e-4b8a-9c3f-0a1b2c3d4e21";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CompleteInstallation_WhenAnInstallationUrlIsConfigured_ShouldPostAlloysBodySignedWithThePublishedKey()
    {
        // Arrange
        var receiver = new Receiver(HttpStatusCode.Accepted);
        await using var host = await StartAsync(receiver, ReceiverUrl);
        using var published = RSA.Create();
        published.ImportFromPem(await host.Client.Http.GetStringAsync("_sandbox/webhooks/public-key", Ct));
        var userId = await host.Client.CreateUserAsync("iw-h2", cancellationToken: Ct);

        // Act
        var installationId = await host.Client.InstallAsync(userId, SlackId, cancellationToken: Ct);
        await Poll.UntilAsync(() => receiver.All().Count > 0, "the installation webhook to arrive");

        // Assert
        var delivery = receiver.Single();
        delivery.Method.ShouldBe("POST");
        delivery.Url.ShouldBe(ReceiverUrl);
        delivery.ContentType.ShouldBe("application/json");
        WebhookSignatures.Verify(published, Convert.FromHexString(delivery.Headers["X-Alloy-Signature"]), "POST", ReceiverUrl, delivery.Body).ShouldBeTrue();
        using var body = JsonDocument.Parse(delivery.Body);
        var root = body.RootElement;
        root.EnumerateObject().Select(p => p.Name).ShouldBe(["userId", "workflowIds", "integrationId", "credentials", "success"]);
        root.GetProperty("userId").GetString().ShouldBe(userId);
        root.GetProperty("integrationId").GetString().ShouldBe(SlackId);
        root.GetProperty("workflowIds").EnumerateArray().Select(w => w.GetString()).ShouldContain(SlackWorkflowId);
        root.GetProperty("credentials").ValueKind.ShouldBe(JsonValueKind.Object);
        root.GetProperty("success").GetBoolean().ShouldBeTrue();
        root.TryGetProperty("installationId", out _).ShouldBeFalse(); // Alloy's body names none
        installationId.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task ModalConnect_WhenAnInstallationUrlIsAPath_ShouldPostToThatPathOnTheRequestsHost()
    {
        // Arrange
        var receiver = new Receiver(HttpStatusCode.Accepted);
        await using var host = await StartAsync(receiver, "/api/webhooks/alloy/installations");
        using var published = RSA.Create();
        published.ImportFromPem(await host.Client.Http.GetStringAsync("_sandbox/webhooks/public-key", Ct));
        var userId = await host.Client.CreateUserAsync("iw-modal", cancellationToken: Ct);
        var token = await host.Client.GetTokenAsync(userId, cancellationToken: Ct);

        // Act
        using var response = await host.Client.SendAsync(HttpMethod.Post, "forge-install/connect", new
        {
            integrationId = SlackId,
            workflowIds = new[] { SlackWorkflowId },
            data = new[] { new { workflowId = SlackWorkflowId, blockId = SlackBlockId, fields = new[] { new { name = "channel", value = "#sales" } } } },
        }, key: null, userToken: token, cancellationToken: Ct);
        await SandboxAssertions.ReadJsonAsync(response, HttpStatusCode.OK);
        await Poll.UntilAsync(() => receiver.All().Count > 0, "the installation webhook to arrive");

        // Assert
        var delivery = receiver.Single();
        delivery.Url.ShouldBe("http://localhost/api/webhooks/alloy/installations");
        WebhookSignatures.Verify(published, Convert.FromHexString(delivery.Headers["X-Alloy-Signature"]), "POST", delivery.Url, delivery.Body).ShouldBeTrue();
        using var body = JsonDocument.Parse(delivery.Body);
        body.RootElement.GetProperty("userId").GetString().ShouldBe(userId);
        body.RootElement.GetProperty("workflowIds").EnumerateArray().Select(w => w.GetString()).ShouldBe([SlackWorkflowId]);
    }

    [Fact]
    public async Task CompleteInstallation_WhenTheReceiverIsUnreachable_ShouldStillSucceedAndStopAfterBoundedRetries()
    {
        // Arrange
        var receiver = new Receiver(HttpStatusCode.OK, fail: true);
        await using var host = await StartAsync(receiver, ReceiverUrl);
        var userId = await host.Client.CreateUserAsync("iw-down", cancellationToken: Ct);

        // Act
        var installationId = await host.Client.InstallAsync(userId, SlackId, cancellationToken: Ct);
        await Poll.UntilAsync(() => receiver.Attempts >= InstallationWebhookEmitter.MaxAttempts, "the emitter to use its attempts");

        // Assert: the install went through; the webhook was tried a bounded number of times.
        var installations = await host.Client.InstallationsOfUserAsync(userId, Ct);
        installations.Single().GetProperty("installationId").GetString().ShouldBe(installationId);
        installations.Single().GetProperty("enabled").GetBoolean().ShouldBeTrue();
        receiver.Attempts.ShouldBe(InstallationWebhookEmitter.MaxAttempts);
    }

    [Fact]
    public async Task CompleteInstallation_WhenNoInstallationUrlIsConfigured_ShouldSendNothing()
    {
        // Arrange
        var receiver = new Receiver(HttpStatusCode.OK);
        await using var host = await StartAsync(receiver, installationUrl: null);
        var userId = await host.Client.CreateUserAsync("iw-off", cancellationToken: Ct);

        // Act
        await host.Client.InstallAsync(userId, SlackId, cancellationToken: Ct);
        // The URL is read as the installation completes, so nothing was queued; an error webhook shows the receiver is wired.
        using var probe = await host.Client.PostAsync("_sandbox/webhooks/errors", new { userId, url = ReceiverUrl }, cancellationToken: Ct);

        // Assert
        await SandboxAssertions.ReadJsonAsync(probe, HttpStatusCode.OK);
        receiver.All().Select(d => d.Headers.ContainsKey("X-Alloy-ExecutionUuid")).ShouldBe([true]);
    }

    private static Task<SandboxHost> StartAsync(Receiver receiver, string? installationUrl) =>
        SandboxHost.StartMountedAsync(
            new Dictionary<string, string?> { ["AlloySandbox:Webhooks:InstallationUrl"] = installationUrl },
            services => services
                .AddHttpClient(ErrorWebhookEmitter.HttpClientName)
                .ConfigurePrimaryHttpMessageHandler(() => new CapturingHandler(receiver)));
}
