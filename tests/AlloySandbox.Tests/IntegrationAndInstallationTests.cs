using System.Globalization;
using System.Net;
using System.Text.Json;
using IntegrationHub.AlloySandbox.Tests.Support;
using static IntegrationHub.AlloySandbox.Tests.Support.SandboxAssertions;
using static IntegrationHub.TestSupport.SandboxClient;

namespace IntegrationHub.AlloySandbox.Tests;

public sealed class IntegrationAndInstallationTests
{
    private const string ShopifyId = "65f1a0c2e4b0a1b2c3d4e501";
    private const string SlackId = "65f1a0c2e4b0a1b2c3d4e503";

    [Fact]
    public async Task ListIntegrations_WhenCalled_ShouldReturnSeededCatalogueWithStableIds()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var userId = await host.Client.CreateUserAsync("catalogue");

        // Act
        using var response = await host.Client.GetAsync($"integrations?userId={userId}");

        // Assert
        var data = (await ReadJsonAsync(response, HttpStatusCode.OK)).GetProperty("data").EnumerateArray().ToList();
        data.Select(i => i.GetProperty("app").GetString()).ShouldBe(["Shopify", "Salesforce", "Slack"]);
        data[0].GetProperty("integrationId").GetString().ShouldBe(ShopifyId);
        foreach (var integration in data)
        {
            integration.GetProperty("installed").GetBoolean().ShouldBeFalse();
            integration.GetProperty("credentials").GetArrayLength().ShouldBeGreaterThan(0);
            integration.GetProperty("primaryConnector").GetString().ShouldNotBeNullOrEmpty();
            var workflow = integration.GetProperty("workflows")[0];
            workflow.GetProperty("workflowId").GetString()!.ShouldMatch("^[0-9a-f]{24}$");
            workflow.GetProperty("version").GetInt32().ShouldBeGreaterThan(0);
            workflow.TryGetProperty("installedVersion", out _).ShouldBeFalse();
            workflow.GetProperty("connectors").GetArrayLength().ShouldBeGreaterThan(0);
        }
    }

    [Fact]
    public async Task ListIntegrations_WhenUserIdMissing_ShouldReturn400()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();

        // Act
        using var response = await host.Client.GetAsync("integrations");

        // Assert
        await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "userId is required");
    }

    [Fact]
    public async Task ListIntegrations_WhenUserUnknown_ShouldReturn404()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();

        // Act
        using var response = await host.Client.GetAsync("integrations?userId=nobody");

        // Assert
        await ShouldBeErrorAsync(response, HttpStatusCode.NotFound, "User not found");
    }

    [Fact]
    public async Task GetIntegration_WhenHeadlessInstallCompletes_ShouldFlipInstalledForThatUserOnly()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var installer = await host.Client.CreateUserAsync("installer");
        var bystander = await host.Client.CreateUserAsync("bystander");
        using var before = await host.Client.GetAsync($"integrations/Shopify?userId={installer}");
        var wasInstalled = (await ReadJsonAsync(before, HttpStatusCode.OK)).GetProperty("data").GetProperty("installed").GetBoolean();

        // Act
        await host.Client.InstallAsync(installer, ShopifyId);

        // Assert
        wasInstalled.ShouldBeFalse();
        using var after = await host.Client.GetAsync($"integrations/{ShopifyId}?userId=installer");
        var data = (await ReadJsonAsync(after, HttpStatusCode.OK)).GetProperty("data");
        data.GetProperty("installed").GetBoolean().ShouldBeTrue();
        var workflows = data.GetProperty("workflows").EnumerateArray().ToList();
        workflows.ShouldAllBe(w => w.GetProperty("installed").GetBoolean() && w.GetProperty("active").GetBoolean());
        workflows.ShouldAllBe(w => w.GetProperty("installedVersion").GetInt32() == w.GetProperty("version").GetInt32());
        using var other = await host.Client.GetAsync($"integrations/{ShopifyId}?userId={bystander}");
        (await ReadJsonAsync(other, HttpStatusCode.OK)).GetProperty("data").GetProperty("installed").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task GetIntegration_WhenUnknown_ShouldReturn404()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var userId = await host.Client.CreateUserAsync("u");

        // Act
        using var response = await host.Client.GetAsync($"integrations/NoSuchApp?userId={userId}");

        // Assert
        await ShouldBeErrorAsync(response, HttpStatusCode.NotFound, "Integration not found");
    }

    [Fact]
    public async Task StartInstallation_WhenNotCompleted_ShouldCreateDisabledInstallationAndReturnForm()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var userId = await host.Client.CreateUserAsync("starter");

        // Act
        using var response = await host.Client.PostAsync("headless/startInstallation", new { userId, integrationId = ShopifyId });

        // Assert
        var json = await ReadJsonAsync(response, HttpStatusCode.OK);
        var installationId = json.GetProperty("installationId").GetString()!;
        installationId.ShouldMatch("^[0-9a-f]{24}$");
        var block = json.GetProperty("data")[0];
        Guid.TryParse(block.GetProperty("blockId").GetString(), out _).ShouldBeTrue();
        block.GetProperty("fields")[0].GetProperty("required").ValueKind.ShouldBe(JsonValueKind.True);
        using var get = await host.Client.GetAsync($"installations/{installationId}");
        (await ReadJsonAsync(get, HttpStatusCode.OK)).GetProperty("data").GetProperty("enabled").GetBoolean().ShouldBeFalse();
        using var integration = await host.Client.GetAsync($"integrations/{ShopifyId}?userId={userId}");
        (await ReadJsonAsync(integration, HttpStatusCode.OK)).GetProperty("data").GetProperty("installed").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task StartInstallation_WhenRequiredFieldsMissing_ShouldReturn400()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();

        // Act
        using var noUser = await host.Client.PostAsync("headless/startInstallation", new { integrationId = ShopifyId });
        using var noIntegration = await host.Client.PostAsync("headless/startInstallation", new { userId = "x" });

        // Assert
        await ShouldBeErrorAsync(noUser, HttpStatusCode.BadRequest, "userId is required");
        await ShouldBeErrorAsync(noIntegration, HttpStatusCode.BadRequest, "integrationId is required");
    }

    [Fact]
    public async Task GetInstallation_WhenCompleted_ShouldHaveAlloyShapeEnabledAndMillisecondTimestamp()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var userId = await host.Client.CreateUserAsync("shape");
        var installationId = await host.Client.InstallAsync(userId, ShopifyId);

        // Act
        using var response = await host.Client.GetAsync($"installations/{installationId}");

        // Assert
        var data = (await ReadJsonAsync(response, HttpStatusCode.OK)).GetProperty("data");
        data.EnumerateObject().Select(p => p.Name).ShouldBe(
            ["installationId", "integrationId", "userId", "formData", "credentialIds", "workflowIds", "installedAt", "enabled"]);
        data.GetProperty("integrationId").GetString().ShouldBe(ShopifyId);
        data.GetProperty("userId").GetString().ShouldBe(userId);
        data.GetProperty("enabled").GetBoolean().ShouldBeTrue();
        data.GetProperty("workflowIds").GetArrayLength().ShouldBe(2);
        data.GetProperty("credentialIds").GetProperty("shopifyApi").GetString()!.ShouldMatch("^[0-9a-f]{24}$");
        var installedAt = data.GetProperty("installedAt").GetString()!;
        installedAt.ShouldMatch(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$");
        DateTimeOffset.Parse(installedAt, CultureInfo.InvariantCulture).ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-1));
    }

    [Fact]
    public async Task StartInstallation_WhenUserAlreadyHasTheIntegration_ShouldReuseTheInstallation()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var userId = await host.Client.CreateUserAsync("twice");
        var first = await host.Client.InstallAsync(userId, SlackId);

        // Act
        var second = await host.Client.InstallAsync(userId, "Slack");

        // Assert
        second.ShouldBe(first);
        using var list = await host.Client.GetAsync("installations");
        (await ReadJsonAsync(list, HttpStatusCode.OK)).GetProperty("data").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task ListInstallations_WhenSeveralUsersInstalled_ShouldListWholeEnvironmentAndHonourFilters()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var alice = await host.Client.CreateUserAsync("alice");
        var bob = await host.Client.CreateUserAsync("bob");
        await host.Client.InstallAsync(alice, ShopifyId);
        await host.Client.InstallAsync(alice, SlackId);
        await host.Client.InstallAsync(bob, SlackId);

        // Act
        using var all = await host.Client.GetAsync("installations");
        using var aliceOnly = await host.Client.GetAsync($"installations?userId={alice}");
        using var slackOnly = await host.Client.GetAsync($"installations?integrationId={SlackId}");

        // Assert
        (await ReadJsonAsync(all, HttpStatusCode.OK)).GetProperty("data").GetArrayLength().ShouldBe(3);
        (await ReadJsonAsync(aliceOnly, HttpStatusCode.OK)).GetProperty("data").EnumerateArray()
            .ShouldAllBe(i => i.GetProperty("userId").GetString() == alice);
        var slack = (await ReadJsonAsync(slackOnly, HttpStatusCode.OK)).GetProperty("data").EnumerateArray().ToList();
        slack.Count.ShouldBe(2);
        slack.ShouldAllBe(i => i.GetProperty("integrationId").GetString() == SlackId);
    }

    [Fact]
    public async Task DeactivateInstallation_WhenEnabled_ShouldDisableItAndItsWorkflowsUntilActivated()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var userId = await host.Client.CreateUserAsync("toggler");
        var installationId = await host.Client.InstallAsync(userId, SlackId);

        // Act
        using var deactivate = await host.Client.PutAsync($"installations/{installationId}/deactivate", null);
        using var whileDisabled = await host.Client.GetAsync($"installations/{installationId}");
        using var workflows = await host.Client.GetAsync($"workflows?userId={userId}");
        using var activate = await host.Client.PutAsync($"installations/{installationId}/activate", null);
        using var afterActivate = await host.Client.GetAsync($"installations/{installationId}");

        // Assert
        deactivate.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ReadJsonAsync(whileDisabled, HttpStatusCode.OK)).GetProperty("data").GetProperty("enabled").GetBoolean().ShouldBeFalse();
        var slackWorkflow = (await ReadJsonAsync(workflows, HttpStatusCode.OK)).GetProperty("data").EnumerateArray()
            .Single(w => w.GetProperty("integrationId").GetString() == SlackId);
        slackWorkflow.GetProperty("installed").GetBoolean().ShouldBeTrue();
        slackWorkflow.GetProperty("active").GetBoolean().ShouldBeFalse();
        activate.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ReadJsonAsync(afterActivate, HttpStatusCode.OK)).GetProperty("data").GetProperty("enabled").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task DeleteInstallation_WhenExists_ShouldRemoveItAndUninstallTheIntegration()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var userId = await host.Client.CreateUserAsync("remover");
        var installationId = await host.Client.InstallAsync(userId, SlackId);

        // Act
        using var delete = await host.Client.DeleteAsync($"installations/{installationId}/");
        using var again = await host.Client.DeleteAsync($"installations/{installationId}");

        // Assert
        (await ReadJsonAsync(delete, HttpStatusCode.OK)).GetProperty("success").GetBoolean().ShouldBeTrue();
        await ShouldBeErrorAsync(again, HttpStatusCode.NotFound, "Installation not found");
        using var integration = await host.Client.GetAsync($"integrations/{SlackId}?userId={userId}");
        var data = (await ReadJsonAsync(integration, HttpStatusCode.OK)).GetProperty("data");
        data.GetProperty("installed").GetBoolean().ShouldBeFalse();
        data.GetProperty("workflows")[0].GetProperty("installed").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task CompleteInstallation_WhenInstallationUnknown_ShouldReturn404()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();

        // Act
        using var response = await host.Client.PostAsync("headless/completeInstallation", new { installationId = "0123456789abcdef01234567", data = Array.Empty<object>() });

        // Assert
        await ShouldBeErrorAsync(response, HttpStatusCode.NotFound, "Installation not found");
    }

    [Fact]
    public async Task ActivateWorkflow_WhenWorkflowNotInstalled_ShouldReturn404AndWhenInstalledActivate()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var userId = await host.Client.CreateUserAsync("wf");
        using var notInstalled = await host.Client.PutAsync("workflows/activate", new { userId, workflowName = "Post notifications" });
        await host.Client.InstallAsync(userId, SlackId);
        using var deactivate = await host.Client.PutAsync("workflows/deactivate", new { userId, workflowName = "Post notifications" });

        // Act
        using var activate = await host.Client.PutAsync("workflows/activate", new { userId, workflowName = "Post notifications" });

        // Assert
        await ShouldBeErrorAsync(notInstalled, HttpStatusCode.NotFound, "Workflow not found");
        (await ReadJsonAsync(deactivate, HttpStatusCode.OK)).GetProperty("deactivated").GetBoolean().ShouldBeTrue();
        (await ReadJsonAsync(activate, HttpStatusCode.OK)).GetProperty("activated").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Credentials_WhenCreatedListedAndDeleted_ShouldFollowAlloyShapes()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var userId = await host.Client.CreateUserAsync("creds");

        // Act
        using var created = await host.Client.PostAsync("headless/credentials", new
        {
            userId,
            credential = new { type = "netsuite", data = new { realm = "r", consumerKey = "k" } },
        });
        var credentialId = (await ReadJsonAsync(created, HttpStatusCode.OK)).GetProperty("credentialId").GetString()!;
        using var listNew = await host.Client.GetAsync($"credentials/users/{userId}");
        using var listOld = await host.Client.GetAsync($"users/{userId}/credentials");
        using var deleted = await host.Client.DeleteAsync($"users/{userId}/credentials/{credentialId}");
        using var listAfter = await host.Client.GetAsync($"credentials/users/{userId}");

        // Assert
        var listed = (await ReadJsonAsync(listNew, HttpStatusCode.OK)).GetProperty("data").EnumerateArray().Single();
        listed.GetProperty("credentialId").GetString().ShouldBe(credentialId);
        listed.GetProperty("type").GetString().ShouldBe("netsuite");
        listed.TryGetProperty("data", out _).ShouldBeFalse(); // secrets are never echoed
        (await ReadJsonAsync(listOld, HttpStatusCode.OK)).GetProperty("data").GetArrayLength().ShouldBe(1);
        (await ReadJsonAsync(deleted, HttpStatusCode.OK)).GetProperty("success").GetBoolean().ShouldBeTrue();
        (await ReadJsonAsync(listAfter, HttpStatusCode.OK)).GetProperty("data").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task StartInstallation_WhenCredentialIdsGiven_ShouldUseThemInTheInstallation()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var userId = await host.Client.CreateUserAsync("explicit-creds");
        using var created = await host.Client.PostAsync("headless/credentials", new
        {
            userId,
            credential = new { type = "slack", data = new { token = "xoxb" } },
        });
        var credentialId = (await ReadJsonAsync(created, HttpStatusCode.OK)).GetProperty("credentialId").GetString()!;

        // Act
        using var started = await host.Client.PostAsync("headless/startInstallation", new { userId, integrationId = SlackId, credentialIds = new[] { credentialId } });

        // Assert
        var installationId = (await ReadJsonAsync(started, HttpStatusCode.OK)).GetProperty("installationId").GetString();
        using var get = await host.Client.GetAsync($"installations/{installationId}");
        (await ReadJsonAsync(get, HttpStatusCode.OK)).GetProperty("data").GetProperty("credentialIds").GetProperty("slack").GetString().ShouldBe(credentialId);
    }
}
