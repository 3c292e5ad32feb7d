using System.Net;
using System.Text.Json;
using IntegrationHub.AlloySandbox.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static IntegrationHub.AlloySandbox.Tests.Support.SandboxAssertions;
using static IntegrationHub.TestSupport.SandboxClient;

namespace IntegrationHub.AlloySandbox.Tests;

public sealed class HostingTests
{
    [Fact]
    public async Task Standalone_WhenServedAtRoot_ShouldAnswerHelloHealthAndApi()
    {
        // Arrange
        await using var host = await SandboxHost.StartStandaloneAsync();

        // Act
        using var hello = await host.Client.Http.GetAsync("", TestContext.Current.CancellationToken);
        using var health = await host.Client.Http.GetAsync("_sandbox/health", TestContext.Current.CancellationToken);
        var userId = await host.Client.CreateUserAsync("standalone");
        using var user = await host.Client.SendAsync(HttpMethod.Get, $"2024-03/users/{userId}", versionHeader: false);

        // Assert
        (await ReadJsonAsync(hello, HttpStatusCode.OK)).GetProperty("name").GetString().ShouldBe("Alloy sandbox");
        (await ReadJsonAsync(health, HttpStatusCode.OK)).GetProperty("status").GetString().ShouldBe("Healthy");
        (await ReadJsonAsync(user, HttpStatusCode.OK)).GetProperty("username").GetString().ShouldBe("standalone");
        (await host.Client.GetStatsAsync()).GetProperty("calls").GetProperty("POST /users").GetInt64().ShouldBe(1);
    }

    [Fact]
    public async Task Mounted_WhenHostUsesOtherJsonOptionsAndOwnRoutes_ShouldKeepAlloyWireFormatAndLeaveHostRoutesAlone()
    {
        // Arrange
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = null);
        builder.Services.AddAlloySandbox(builder.Configuration);
        builder.Services.AddAlloySandbox(builder.Configuration); // twice is harmless
        await using var app = builder.Build();
        app.MapGet("/users", () => Results.Ok(new { HostValue = 1 }));
        app.MapGroup("/sandbox/alloy").MapAlloySandbox();
        await app.StartAsync(TestContext.Current.CancellationToken);
        using var client = new SandboxClient(app.GetTestClient());

        // Act
        using var create = await client.SendAsync(HttpMethod.Post, "sandbox/alloy/2024-03/users", new { username = "mounted" }, versionHeader: false);
        using var hostRoute = await client.Http.GetAsync("users", TestContext.Current.CancellationToken);
        var calls = JsonDocument.Parse(await client.Http.GetStringAsync("sandbox/alloy/_sandbox/stats", TestContext.Current.CancellationToken))
            .RootElement.GetProperty("calls");

        // Assert
        (await ReadJsonAsync(create, HttpStatusCode.OK)).GetProperty("userId").GetString()!.ShouldMatch("^[0-9a-f]{24}$");
        (await ReadJsonAsync(hostRoute, HttpStatusCode.OK)).GetProperty("HostValue").GetInt32().ShouldBe(1);
        calls.GetProperty("POST /users").GetInt64().ShouldBe(1);
        calls.EnumerateObject().Count().ShouldBe(1);
    }
}
