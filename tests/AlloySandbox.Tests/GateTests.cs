using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.AlloySandbox.Tests.Support;
using static IntegrationHub.AlloySandbox.Tests.Support.SandboxAssertions;

namespace IntegrationHub.AlloySandbox.Tests;

/// <summary>The gate of <c>/_sandbox/gate</c>: holds chosen Alloy calls until a test lets them go.</summary>
public sealed class GateTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateUser_WhenGateClosedBeforeHandling_ShouldHoldTheCallUntilOpenedAndLetLaterCallsThrough()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        await host.Client.CloseGateAsync("POST", "/users");

        // Act
        var held = host.Client.PostAsync("users", new { username = "held" });
        await Poll.UntilAsync(() => host.Client.HeldAtGateAsync(), count => count == 1, "the first POST /users to wait at the gate");
        var usersWhileHeld = await host.Client.UsersAsync();
        var passed = await host.Client.CreateUserAsync("passing");
        var heldStillWaiting = !held.IsCompleted;
        await host.Client.OpenGateAsync();
        using var answer = await held;

        // Assert
        heldStillWaiting.ShouldBeTrue();
        usersWhileHeld.ShouldBeEmpty();
        passed.ShouldNotBeNullOrWhiteSpace();
        (await ReadJsonAsync(answer, HttpStatusCode.OK)).GetProperty("userId").GetString().ShouldNotBe(passed);
        (await host.Client.UsersAsync()).Select(u => u.Username).Order().ShouldBe(["held", "passing"]);
        (await host.Client.HeldAtGateAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task CreateUser_WhenGateClosedAfterHandling_ShouldCreateTheUserAndHoldItsAnswer()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        await host.Client.CloseGateAsync("POST", "/users", afterHandling: true);

        // Act
        var held = host.Client.PostAsync("users", new { username = "created-first" });
        await Poll.UntilAsync(() => host.Client.HeldAtGateAsync(), count => count == 1, "the answer of POST /users to wait at the gate");
        var usersWhileHeld = await host.Client.UsersAsync();
        var answeredWhileHeld = held.IsCompleted;
        await host.Client.OpenGateAsync();
        using var answer = await held;

        // Assert
        answeredWhileHeld.ShouldBeFalse();
        usersWhileHeld.Select(u => u.Username).ShouldBe(["created-first"]);
        (await ReadJsonAsync(answer, HttpStatusCode.OK)).GetProperty("userId").GetString().ShouldBe(usersWhileHeld[0].UserId);
    }

    [Fact]
    public async Task PutGate_WhenSettingsInvalid_ShouldReturn400AndStayOpen()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();

        // Act
        using var noPath = await host.Client.Http.PutAsJsonAsync("_sandbox/gate", new { method = "POST" }, Ct);
        using var noTimes = await host.Client.Http.PutAsJsonAsync("_sandbox/gate", new { path = "/users", times = 0 }, Ct);
        var gate = await host.Client.Http.GetFromJsonAsync<JsonElement>("_sandbox/gate", Ct);

        // Assert
        await ShouldBeErrorAsync(noPath, HttpStatusCode.BadRequest, "gate path is required");
        await ShouldBeErrorAsync(noTimes, HttpStatusCode.BadRequest, "gate times must be at least 1");
        gate.GetProperty("closed").GetBoolean().ShouldBeFalse();
        (await host.Client.CreateUserAsync("not-held")).ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task Reset_WhenACallIsHeld_ShouldReleaseItAndOpenTheGate()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        await host.Client.CloseGateAsync("GET", "/users", times: 5);
        var held = host.Client.GetAsync("users");
        await Poll.UntilAsync(() => host.Client.HeldAtGateAsync(), count => count == 1, "GET /users to wait at the gate");

        // Act
        await host.Client.ResetAsync();
        using var answer = await held;
        var gate = await host.Client.Http.GetFromJsonAsync<JsonElement>("_sandbox/gate", Ct);

        // Assert
        answer.StatusCode.ShouldBe(HttpStatusCode.OK);
        gate.GetProperty("closed").GetBoolean().ShouldBeFalse();
        gate.GetProperty("held").GetInt32().ShouldBe(0);
    }

    [Fact]
    public void SandboxClientKeys_ShouldBeTheSandboxDefaults()
    {
        // Assert: the shared test client carries the keys as constants (it references no project of src/).
        SandboxClient.DevelopmentKey.ShouldBe(SandboxDefaults.DevelopmentKey);
        SandboxClient.ProductionKey.ShouldBe(SandboxDefaults.ProductionKey);
        SandboxClient.MountedRoot.ShouldBe(SandboxHost.Prefix);
    }
}
