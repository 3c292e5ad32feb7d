using System.Net;
using IntegrationHub.AlloySandbox.Tests.Support;
using static IntegrationHub.AlloySandbox.Tests.Support.SandboxAssertions;
using static IntegrationHub.TestSupport.SandboxClient;

namespace IntegrationHub.AlloySandbox.Tests;

public sealed class AuthAndVersioningTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    public async Task ListUsers_WhenKeyMissingOrUnknown_ShouldReturn401Unauthorized(string? key)
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();

        // Act
        using var response = await host.Client.GetAsync("users", key);

        // Assert
        await ShouldBeErrorAsync(response, HttpStatusCode.Unauthorized, "Unauthorized");
    }

    [Fact]
    public async Task ListUsers_WhenSchemeIsLowercaseBearer_ShouldAuthenticate()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "users");
        request.Headers.TryAddWithoutValidation("Authorization", "bearer " + DevelopmentKey);
        request.Headers.Add("x-api-version", ApiVersion);

        // Act
        using var response = await host.Client.Http.SendAsync(request, TestContext.Current.CancellationToken);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ListUsers_WhenKeysConfigured_ShouldAcceptThemAndRefuseTheDefaults()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync(new Dictionary<string, string?>
        {
            ["AlloySandbox:Keys:0:Key"] = "my-prod-key",
            ["AlloySandbox:Keys:0:Environment"] = "Production",
        });

        // Act
        using var configured = await host.Client.PostAsync("users", new { username = "p" }, key: "my-prod-key");
        using var defaultKey = await host.Client.GetAsync("users", DevelopmentKey);

        // Assert
        configured.StatusCode.ShouldBe(HttpStatusCode.OK);
        defaultKey.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var users = (await host.Client.GetStatsAsync()).GetProperty("usersByEnvironment");
        users.GetProperty("Production").GetInt32().ShouldBe(1);
        users.GetProperty("Development").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task GetUser_WhenCreatedWithProductionKey_ShouldBeInvisibleToDevelopmentKey()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var prodUserId = await host.Client.CreateUserAsync("shared-name", key: ProductionKey);

        // Act
        using var devById = await host.Client.GetAsync($"users/{prodUserId}", DevelopmentKey);
        using var devList = await host.Client.GetAsync("users", DevelopmentKey);
        var devUserId = await host.Client.CreateUserAsync("shared-name", key: DevelopmentKey);

        // Assert
        await ShouldBeErrorAsync(devById, HttpStatusCode.NotFound, "User not found");
        (await ReadJsonAsync(devList, HttpStatusCode.OK)).GetProperty("data").GetArrayLength().ShouldBe(0);
        devUserId.ShouldNotBe(prodUserId);
        var users = (await host.Client.GetStatsAsync()).GetProperty("usersByEnvironment");
        users.GetProperty("Development").GetInt32().ShouldBe(1);
        users.GetProperty("Production").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task Installations_WhenCreatedInProduction_ShouldNotBeListedForDevelopment()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();
        var prodUserId = await host.Client.CreateUserAsync("prod-user", key: ProductionKey);
        var installationId = await host.Client.InstallAsync(prodUserId, "Slack", key: ProductionKey);

        // Act
        using var devList = await host.Client.GetAsync("installations", DevelopmentKey);
        using var devGet = await host.Client.GetAsync($"installations/{installationId}", DevelopmentKey);
        using var prodList = await host.Client.GetAsync("installations", ProductionKey);

        // Assert
        (await ReadJsonAsync(devList, HttpStatusCode.OK)).GetProperty("data").GetArrayLength().ShouldBe(0);
        await ShouldBeErrorAsync(devGet, HttpStatusCode.NotFound, "Installation not found");
        (await ReadJsonAsync(prodList, HttpStatusCode.OK)).GetProperty("data").GetArrayLength().ShouldBe(1);
    }

    [Theory]
    [InlineData("2024-03/users")]
    [InlineData("2025-09/users/")]
    public async Task CreateUser_WhenVersionIsInThePath_ShouldNotNeedTheHeader(string path)
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();

        // Act
        using var response = await host.Client.SendAsync(HttpMethod.Post, path, new { username = "versioned" }, versionHeader: false);

        // Assert
        await ReadJsonAsync(response, HttpStatusCode.OK);
    }

    [Fact]
    public async Task CreateUser_WhenUnversionedWithHeader_ShouldSucceed()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();

        // Act
        using var response = await host.Client.SendAsync(HttpMethod.Post, "users", new { username = "headed" }, versionHeader: true);

        // Assert
        await ReadJsonAsync(response, HttpStatusCode.OK);
    }

    [Fact]
    public async Task CreateUser_WhenUnversionedWithoutHeader_ShouldReturn400AndCreateNothing()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();

        // Act
        using var response = await host.Client.SendAsync(HttpMethod.Post, "users", new { username = "bare" }, versionHeader: false);

        // Assert
        await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, "x-api-version header is required");
        (await host.Client.GetStatsAsync()).GetProperty("usersByEnvironment").GetProperty("Development").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task CreateUser_WhenVersionNotRequiredAndHeaderMissing_ShouldSucceed()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync(new Dictionary<string, string?>
        {
            ["AlloySandbox:RequireApiVersion"] = "false",
        });

        // Act
        using var response = await host.Client.SendAsync(HttpMethod.Post, "users", new { username = "lenient" }, versionHeader: false);

        // Assert
        await ReadJsonAsync(response, HttpStatusCode.OK);
    }

    [Fact]
    public async Task UnknownRoute_WhenCalled_ShouldReturn404JsonMessage()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();

        // Act
        using var response = await host.Client.GetAsync("2025-09/no-such-thing");

        // Assert
        await ShouldBeErrorAsync(response, HttpStatusCode.NotFound);
    }
}
