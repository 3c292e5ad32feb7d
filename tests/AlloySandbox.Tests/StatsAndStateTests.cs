using System.Net;
using System.Text.Json;
using IntegrationHub.AlloySandbox.Tests.Support;
using static IntegrationHub.AlloySandbox.Tests.Support.SandboxAssertions;
using static IntegrationHub.TestSupport.SandboxClient;

namespace IntegrationHub.AlloySandbox.Tests;

public sealed class StatsAndStateTests
{
    [Fact]
    public async Task Stats_WhenSameOperationCalledInEveryUrlStyle_ShouldCountItUnderOneKey()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();

        // Act
        using var versioned = await host.Client.SendAsync(HttpMethod.Post, "2024-03/users", new { username = "a" }, versionHeader: false);
        using var trailing = await host.Client.PostAsync("users/", new { username = "b" });
        using var header = await host.Client.PostAsync("users", new { username = "c" });
        using var duplicate = await host.Client.PostAsync("users", new { username = "c" });
        using var unauthorized = await host.Client.PostAsync("users", new { username = "d" }, key: "bad");
        var userId = await host.Client.CreateUserAsync("e");
        await host.Client.GetTokenAsync(userId);
        await host.Client.GetTokenAsync("e");
        using var unknownUserToken = await host.Client.SendAsync(HttpMethod.Get, "2025-09/users/nobody/token", versionHeader: false);

        // Assert
        var calls = (await host.Client.GetStatsAsync()).GetProperty("calls");
        calls.GetProperty("POST /users").GetInt64().ShouldBe(6);
        calls.GetProperty("GET /users/{uid}/token").GetInt64().ShouldBe(3);
        calls.TryGetProperty("GET /_sandbox/stats", out _).ShouldBeFalse();
        calls.EnumerateObject().ShouldAllBe(p => !p.Name.Contains("2024-03", StringComparison.Ordinal) && !p.Name.Contains("sandbox", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stats_WhenFaultsInjected_ShouldStillCountTheCalls()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        using var put = await host.Client.PutFaultsAsync(new { errorRate = 1.0 });

        // Act
        using var first = await host.Client.GetAsync("installations");
        using var second = await host.Client.GetAsync("installations/abc");

        // Assert
        var calls = (await host.Client.GetStatsAsync()).GetProperty("calls");
        calls.GetProperty("GET /installations").GetInt64().ShouldBe(1);
        calls.GetProperty("GET /installations/{installationId}").GetInt64().ShouldBe(1);
    }

    [Fact]
    public async Task Reset_WhenDataFaultsAndCountersExist_ShouldClearThemAll()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        await host.Client.CreateUserAsync("dev");
        await host.Client.CreateUserAsync("prod", key: ProductionKey);
        using var put = await host.Client.PutFaultsAsync(new { rateLimitRate = 1.0 });

        // Act
        using var reset = await host.Client.Http.PostAsync("_sandbox/reset", null, TestContext.Current.CancellationToken);

        // Assert
        reset.StatusCode.ShouldBe(HttpStatusCode.OK);
        var stats = await host.Client.GetStatsAsync();
        stats.GetProperty("usersByEnvironment").GetProperty("Development").GetInt32().ShouldBe(0);
        stats.GetProperty("usersByEnvironment").GetProperty("Production").GetInt32().ShouldBe(0);
        stats.GetProperty("calls").EnumerateObject().ShouldBeEmpty();
        using var call = await host.Client.GetAsync("users");
        call.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SandboxUsers_WhenEnvironmentGiven_ShouldListOnlyThatEnvironmentsUsers()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        await host.Client.CreateUserAsync("dev-one");
        await host.Client.CreateUserAsync("prod-one", key: ProductionKey);

        // Act
        using var response = await host.Client.Http.GetAsync("_sandbox/users?environment=Production", TestContext.Current.CancellationToken);

        // Assert
        var data = (await ReadJsonAsync(response, HttpStatusCode.OK)).GetProperty("data").EnumerateArray().ToList();
        data.Select(u => u.GetProperty("username").GetString()).ShouldBe(["prod-one"]);
        data[0].GetProperty("environment").GetString().ShouldBe("Production");
    }

    [Fact]
    public async Task StateFile_WhenHostRestartsOnSameFile_ShouldKeepUsersInstallationsAndTokens()
    {
        // Arrange
        var directory = Directory.CreateTempSubdirectory("alloy-sandbox-tests-");
        var configuration = new Dictionary<string, string?> { ["AlloySandbox:StateFile"] = Path.Combine(directory.FullName, "nested", "state.json") };
        try
        {
            string devUserId;
            string prodUserId;
            string installationId;
            string token;
            await using (var first = await SandboxHost.StartMountedAsync(configuration))
            {
                devUserId = await first.Client.CreateUserAsync("survivor");
                prodUserId = await first.Client.CreateUserAsync("prod-survivor", key: ProductionKey);
                installationId = await first.Client.InstallAsync(devUserId, "Slack");
                token = await first.Client.GetTokenAsync(devUserId);
            }

            // Act
            await using var second = await SandboxHost.StartMountedAsync(configuration);
            using var byName = await second.Client.GetAsync("users/survivor");
            using var prod = await second.Client.GetAsync($"users/{prodUserId}", ProductionKey);
            using var installation = await second.Client.GetAsync($"installations/{installationId}");
            using var withToken = await second.Client.SendAsync(HttpMethod.Get, "integrations", key: null, userToken: token);
            using var duplicate = await second.Client.PostAsync("users", new { username = "survivor" });

            // Assert
            (await ReadJsonAsync(byName, HttpStatusCode.OK)).GetProperty("userId").GetString().ShouldBe(devUserId);
            prod.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await ReadJsonAsync(installation, HttpStatusCode.OK)).GetProperty("data").GetProperty("enabled").GetBoolean().ShouldBeTrue();
            withToken.StatusCode.ShouldBe(HttpStatusCode.OK);
            duplicate.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            File.Exists(configuration["AlloySandbox:StateFile"] + ".tmp").ShouldBeFalse();
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task StateFile_WhenUnset_ShouldStartEmptyEachTime()
    {
        // Arrange
        await using (var first = await SandboxHost.StartMountedAsync())
        {
            await first.Client.CreateUserAsync("ephemeral");
        }

        // Act
        await using var second = await SandboxHost.StartMountedAsync();
        using var response = await second.Client.GetAsync("users/ephemeral");

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task StateFile_WhenHostRestarts_ShouldKeepCredentialsPausedWorkflowsAndCreationOrder()
    {
        // Arrange
        var directory = Directory.CreateTempSubdirectory("alloy-sandbox-tests-");
        var configuration = new Dictionary<string, string?> { ["AlloySandbox:StateFile"] = Path.Combine(directory.FullName, "state.json") };
        try
        {
            string firstUserId;
            string secondUserId;
            string credentialId;
            await using (var first = await SandboxHost.StartMountedAsync(configuration))
            {
                firstUserId = await first.Client.CreateUserAsync("first");
                secondUserId = await first.Client.CreateUserAsync("second");
                using var created = await first.Client.PostAsync("headless/credentials", new
                {
                    userId = firstUserId,
                    credential = new { type = "netsuite", data = new { realm = "r" } },
                });
                credentialId = (await ReadJsonAsync(created, HttpStatusCode.OK)).GetProperty("credentialId").GetString()!;
                await first.Client.InstallAsync(firstUserId, "Shopify");
                using var paused = await first.Client.PutAsync($"users/{firstUserId}/deactivate-workflows", null);
                paused.StatusCode.ShouldBe(HttpStatusCode.OK);
            }

            // Act
            await using var second = await SandboxHost.StartMountedAsync(configuration);
            var thirdUserId = await second.Client.CreateUserAsync("third");
            using var credentials = await second.Client.GetAsync($"credentials/users/{firstUserId}");
            using var workflows = await second.Client.GetAsync($"workflows?userId={firstUserId}");
            using var users = await second.Client.GetAsync("users");

            // Assert
            var listed = (await ReadJsonAsync(credentials, HttpStatusCode.OK)).GetProperty("data").EnumerateArray().ToList();
            listed.ShouldContain(c => c.GetProperty("credentialId").GetString() == credentialId);
            var installed = (await ReadJsonAsync(workflows, HttpStatusCode.OK)).GetProperty("data").EnumerateArray()
                .Where(w => w.GetProperty("installed").GetBoolean()).ToList();
            installed.ShouldNotBeEmpty();
            installed.ShouldAllBe(w => !w.GetProperty("active").GetBoolean());
            (await ReadJsonAsync(users, HttpStatusCode.OK)).GetProperty("data").EnumerateArray()
                .Select(u => u.GetProperty("userId").GetString())
                .ShouldBe([firstUserId, secondUserId, thirdUserId]);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task StateFile_WhenAUserIsDeleted_ShouldDropItsInstallationsAndCredentialsFromTheFile()
    {
        // Arrange
        var directory = Directory.CreateTempSubdirectory("alloy-sandbox-tests-");
        var stateFile = Path.Combine(directory.FullName, "state.json");
        var configuration = new Dictionary<string, string?> { ["AlloySandbox:StateFile"] = stateFile };
        try
        {
            await using var host = await SandboxHost.StartMountedAsync(configuration);
            var leavingUserId = await host.Client.CreateUserAsync("leaving");
            var stayingUserId = await host.Client.CreateUserAsync("staying");
            await host.Client.InstallAsync(leavingUserId, "Slack");
            await host.Client.InstallAsync(stayingUserId, "Slack");

            // Act
            using var deleted = await host.Client.DeleteAsync($"users/{leavingUserId}");

            // Assert
            deleted.StatusCode.ShouldBe(HttpStatusCode.OK);
            using var saved = JsonDocument.Parse(await File.ReadAllBytesAsync(stateFile, TestContext.Current.CancellationToken));
            var development = saved.RootElement.GetProperty("environments").GetProperty("Development");
            development.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("userId").GetString()).ShouldBe([stayingUserId]);
            development.GetProperty("installations").EnumerateArray().ShouldAllBe(i => i.GetProperty("userId").GetString() == stayingUserId);
            development.GetProperty("installations").GetArrayLength().ShouldBe(1);
            development.GetProperty("credentials").EnumerateArray().ShouldAllBe(c => c.GetProperty("userId").GetString() == stayingUserId);
            development.GetProperty("credentials").GetArrayLength().ShouldBe(1);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task StateFile_WhenNotValidJson_ShouldFailTheHostAtStartup()
    {
        // Arrange
        var directory = Directory.CreateTempSubdirectory("alloy-sandbox-tests-");
        var stateFile = Path.Combine(directory.FullName, "state.json");
        await File.WriteAllTextAsync(stateFile, "{ not json", TestContext.Current.CancellationToken);
        var configuration = new Dictionary<string, string?> { ["AlloySandbox:StateFile"] = stateFile };
        try
        {
            // Act
            var failure = await Should.ThrowAsync<InvalidOperationException>(() => SandboxHost.StartMountedAsync(configuration));

            // Assert
            failure.Message.ShouldContain("is not valid JSON");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
