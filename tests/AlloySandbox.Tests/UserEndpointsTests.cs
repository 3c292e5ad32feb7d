using System.Net;
using System.Text.Json;
using IntegrationHub.AlloySandbox.Tests.Support;
using static IntegrationHub.AlloySandbox.Tests.Support.SandboxAssertions;
using static IntegrationHub.TestSupport.SandboxClient;

namespace IntegrationHub.AlloySandbox.Tests;

public sealed class UserEndpointsTests
{
    [Fact]
    public async Task CreateUser_WhenUsernameIsNew_ShouldReturnObjectIdShapedUserId()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();

        // Act
        using var response = await host.Client.PostAsync("users", new { username = "acme", fullName = "Acme Ltd" });

        // Assert
        var json = await ReadJsonAsync(response, HttpStatusCode.OK);
        json.EnumerateObject().Select(p => p.Name).ShouldBe(["userId"]);
        json.GetProperty("userId").GetString()!.ShouldMatch("^[0-9a-f]{24}$");
    }

    [Fact]
    public async Task GetUser_WhenAddressedByIdOrUsername_ShouldReturnTheSameBareUser()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var userId = await host.Client.CreateUserAsync("acme@example.com", "Acme Ltd");

        // Act
        using var byId = await host.Client.GetAsync($"users/{userId}");
        using var byUsername = await host.Client.GetAsync("users/acme@example.com");

        // Assert
        var first = await ReadJsonAsync(byId, HttpStatusCode.OK);
        var second = await ReadJsonAsync(byUsername, HttpStatusCode.OK);
        first.GetProperty("userId").GetString().ShouldBe(userId);
        first.GetProperty("username").GetString().ShouldBe("acme@example.com");
        first.GetProperty("fullName").GetString().ShouldBe("Acme Ltd");
        first.TryGetProperty("data", out _).ShouldBeFalse();
        second.GetRawText().ShouldBe(first.GetRawText());
    }

    [Fact]
    public async Task GetUser_WhenUnknown_ShouldReturn404Message()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();

        // Act
        using var response = await host.Client.GetAsync("users/nobody");

        // Assert
        await ShouldBeErrorAsync(response, HttpStatusCode.NotFound, "User not found");
    }

    [Fact]
    public async Task ListUsers_WhenUsersExist_ShouldWrapThemInData()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var first = await host.Client.CreateUserAsync("first");
        var second = await host.Client.CreateUserAsync("second", fullName: null);

        // Act
        using var response = await host.Client.GetAsync("users");

        // Assert
        var data = (await ReadJsonAsync(response, HttpStatusCode.OK)).GetProperty("data").EnumerateArray().ToList();
        data.Select(u => u.GetProperty("userId").GetString()).ShouldBe([first, second]);
        data.Select(u => u.GetProperty("username").GetString()).ShouldBe(["first", "second"]);
        data[1].GetProperty("fullName").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task UpdateUser_WhenGivenPartialBody_ShouldChangeOnlyThoseFields()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var userId = await host.Client.CreateUserAsync("old-name", "Old Name");

        // Act
        using var response = await host.Client.PutAsync($"users/{userId}", new { username = "new-name" });

        // Assert
        var json = await ReadJsonAsync(response, HttpStatusCode.OK);
        json.GetProperty("username").GetString().ShouldBe("new-name");
        json.GetProperty("fullName").GetString().ShouldBe("Old Name");
        using var byOldName = await host.Client.GetAsync("users/old-name");
        byOldName.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var byNewName = await host.Client.GetAsync("users/new-name");
        (await ReadJsonAsync(byNewName, HttpStatusCode.OK)).GetProperty("userId").GetString().ShouldBe(userId);
    }

    [Fact]
    public async Task UpdateUser_WhenUsernameBelongsToAnotherUser_ShouldReturnDuplicateError()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        await host.Client.CreateUserAsync("taken");
        var userId = await host.Client.CreateUserAsync("mine");

        // Act
        using var response = await host.Client.PutAsync($"users/{userId}", new { username = "taken" });

        // Assert
        await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "User with username 'taken' already exists");
    }

    [Fact]
    public async Task DeleteUser_WhenUserExists_ShouldRemoveUserAndItsInstallations()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var userId = await host.Client.CreateUserAsync("leaving");
        await host.Client.InstallAsync(userId, "Slack");

        // Act
        using var response = await host.Client.DeleteAsync($"users/{userId}");

        // Assert
        (await ReadJsonAsync(response, HttpStatusCode.OK)).GetProperty("success").GetBoolean().ShouldBeTrue();
        using var get = await host.Client.GetAsync($"users/{userId}");
        await ShouldBeErrorAsync(get, HttpStatusCode.NotFound, "User not found");
        using var installations = await host.Client.GetAsync("installations");
        (await ReadJsonAsync(installations, HttpStatusCode.OK)).GetProperty("data").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task CreateUser_WhenUsernameMissing_ShouldReturn400UsernameIsRequired()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();

        // Act
        using var response = await host.Client.PostAsync("users", new { fullName = "No Name" });

        // Assert
        await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "username is required");
    }

    [Fact]
    public async Task CreateUser_WhenUsernameExists_ShouldReturn400WithMessage()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        await host.Client.CreateUserAsync("acme");

        // Act
        using var duplicate = await host.Client.PostAsync("users", new { username = "acme" });
        using var otherCase = await host.Client.PostAsync("users", new { username = "ACME" });

        // Assert
        await ShouldBeErrorAsync(duplicate, HttpStatusCode.BadRequest, "User with username 'acme' already exists");
        otherCase.StatusCode.ShouldBe(HttpStatusCode.OK); // usernames compare case-sensitively
    }

    [Fact]
    public async Task CreateUser_WhenDuplicateStatusConfiguredAs422_ShouldReturn422()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync(new Dictionary<string, string?>
        {
            ["AlloySandbox:DuplicateUsernameStatus"] = "422",
        });
        await host.Client.CreateUserAsync("acme");

        // Act
        using var response = await host.Client.PostAsync("users", new { username = "acme" });

        // Assert
        await ShouldBeErrorAsync(response, HttpStatusCode.UnprocessableEntity, "User with username 'acme' already exists");
    }

    [Fact]
    public async Task CreateUser_WhenManyRacesCreateOneUsername_ShouldCreateExactlyOneUser()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();

        // Act
        var responses = await Task.WhenAll(Enumerable.Range(0, 64)
            .Select(_ => host.Client.PostAsync("users", new { username = "contested" })));

        // Assert
        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        responses.Count(r => r.StatusCode == HttpStatusCode.BadRequest).ShouldBe(63);
        var stats = await host.Client.GetStatsAsync();
        stats.GetProperty("usersByEnvironment").GetProperty("Development").GetInt32().ShouldBe(1);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task CreateUser_WhenManyDistinctUsersRace_ShouldKeepEveryUser()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();

        // Act
        var ids = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => host.Client.CreateUserAsync($"user-{i}")));

        // Assert
        ids.Distinct().Count().ShouldBe(200);
        using var list = await host.Client.GetAsync("users");
        (await ReadJsonAsync(list, HttpStatusCode.OK)).GetProperty("data").GetArrayLength().ShouldBe(200);
    }

    [Fact]
    public async Task BatchCreateUsers_WhenSomeInvalid_ShouldCreateValidOnesAndReportInvalidOnes()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        await host.Client.CreateUserAsync("alreadyexists123");

        // Act
        using var response = await host.Client.PostAsync("users/batch", new
        {
            users = new object[]
            {
                new { username = "fresh", fullName = "Fresh" },
                new { username = "alreadyexists123" },
                new { fullName = "Missing Username" },
            },
        });

        // Assert
        var json = await ReadJsonAsync(response, HttpStatusCode.OK);
        json.GetProperty("message").GetString().ShouldBe("success");
        var invalid = json.GetProperty("invalidUsers").EnumerateArray().ToList();
        invalid.Count.ShouldBe(2);
        invalid[0].GetProperty("username").GetString().ShouldBe("alreadyexists123");
        invalid[1].GetProperty("fullName").GetString().ShouldBe("Missing Username");
        using var fresh = await host.Client.GetAsync("users/fresh");
        fresh.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task BatchCreateUsers_WhenSomeRefused_ShouldSayWhyForEachRefusedEntry()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        await host.Client.CreateUserAsync("taken");
        using var faults = await host.Client.PutFaultsAsync(new { invalidUsernames = new[] { "bad name" } });

        // Act
        using var response = await host.Client.PostAsync("users/batch", new
        {
            users = new object[]
            {
                new { username = "taken" },
                new { username = "bad name", fullName = "Bad" },
                new { username = "twice" },
                new { username = "twice" },
                new { fullName = "Nameless" },
            },
        });

        // Assert
        var json = await ReadJsonAsync(response, HttpStatusCode.OK);
        var reasons = json.GetProperty("invalidUsers").EnumerateArray()
            .Select(u => (Username: u.TryGetProperty("username", out var name) ? name.GetString() : null, Reason: u.GetProperty("reason").GetString()))
            .ToList();
        reasons.ShouldBe(
        [
            ("taken", "User with username 'taken' already exists"),
            ("bad name", "username is invalid"),
            ("twice", "User with username 'twice' already exists"),
            (null, "username is required"),
        ]);
        using var twice = await host.Client.GetAsync("users/twice");
        twice.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var bad = await host.Client.GetAsync("users/bad%20name");
        bad.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task BatchCreateUsers_WhenNoneIsValid_ShouldReturn400AndCreateNothing()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        await host.Client.CreateUserAsync("exists");

        // Act
        using var response = await host.Client.PostAsync("users/batch", new
        {
            users = new object[] { new { username = "exists" }, new { fullName = "Nameless" } },
        });

        // Assert
        await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "No valid users provided");
        (await host.Client.GetStatsAsync()).GetProperty("usersByEnvironment").GetProperty("Development").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task CreateUser_WhenUsernameIsConfiguredInvalid_ShouldReturn400()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        using var faults = await host.Client.PutFaultsAsync(new { invalidUsernames = new[] { "refused" } });

        // Act
        using var response = await host.Client.PostAsync("users", new { username = "refused" });

        // Assert
        await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "username is invalid");
    }

    [Fact]
    public async Task BatchCreateUsers_WhenMoreThan1000_ShouldReturn400()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var users = Enumerable.Range(0, 1001).Select(i => new { username = $"u{i}" }).ToList();

        // Act
        using var response = await host.Client.PostAsync("users/batch", new { users });

        // Assert
        await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest);
        (await host.Client.GetStatsAsync()).GetProperty("usersByEnvironment").GetProperty("Development").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task DeactivateWorkflowsAndDeleteLogs_WhenUserExists_ShouldAnswerSuccessAndPauseWorkflows()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var userId = await host.Client.CreateUserAsync("pausing");
        await host.Client.InstallAsync(userId, "Shopify");

        // Act
        using var deactivate = await host.Client.PutAsync($"users/{userId}/deactivate-workflows", null);
        using var logs = await host.Client.DeleteAsync($"users/{userId}/logs");

        // Assert
        (await ReadJsonAsync(deactivate, HttpStatusCode.OK)).GetProperty("message").GetString().ShouldBe("Success");
        (await ReadJsonAsync(logs, HttpStatusCode.OK)).GetProperty("message").GetString().ShouldBe("Success");
        using var workflows = await host.Client.GetAsync($"workflows?userId={userId}");
        var installed = (await ReadJsonAsync(workflows, HttpStatusCode.OK)).GetProperty("data").EnumerateArray()
            .Where(w => w.GetProperty("installed").GetBoolean()).ToList();
        installed.ShouldNotBeEmpty();
        installed.ShouldAllBe(w => !w.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task CreateUser_WhenBodyIsMalformedJson_ShouldReturn400JsonMessage()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();

        // Act
        using var response = await host.Client.SendAsync(HttpMethod.Post, "users", rawBody: """{"username": "broken""");

        // Assert
        await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest);
        (await host.Client.GetStatsAsync()).GetProperty("usersByEnvironment").GetProperty("Development").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task CreateUser_WhenUsernameHasWrongJsonType_ShouldReturn400JsonMessage()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();

        // Act
        using var response = await host.Client.SendAsync(HttpMethod.Post, "users", rawBody: """{"username": {"nested": true}}""");

        // Assert
        await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest);
    }
}
