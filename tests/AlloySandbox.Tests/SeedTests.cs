using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.AlloySandbox.Tests.Support;
using static IntegrationHub.AlloySandbox.Tests.Support.SandboxAssertions;

namespace IntegrationHub.AlloySandbox.Tests;

/// <summary><c>POST /_sandbox/seed</c>: many users with installations at once, with ids that follow from the prefix.</summary>
public sealed class SeedTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Seed_WhenValid_ShouldAddTheUsersAndTheirInstallationsUnderPredictableIds()
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();

        // Act
        using var response = await host.Client.Http.PostAsJsonAsync("_sandbox/seed", new { prefix = "sd", users = 3, installationsPerUser = 2 }, Ct);
        var seeded = await ReadJsonAsync(response, HttpStatusCode.OK);
        using var listing = await host.Client.GetAsync("installations", cancellationToken: Ct);
        var installations = (await ReadJsonAsync(listing, HttpStatusCode.OK)).GetProperty("data").EnumerateArray().ToList();

        // Assert
        seeded.GetProperty("users").GetInt32().ShouldBe(3);
        seeded.GetProperty("installations").GetInt32().ShouldBe(6);
        (await host.Client.UsersAsync(cancellationToken: Ct)).Select(u => u.Username).Order().ShouldBe(["sd-t0", "sd-t1", "sd-t2"]);
        installations.Select(i => i.GetProperty("installationId").GetString()).Order()
            .ShouldBe(["sd-i0-0", "sd-i0-1", "sd-i1-0", "sd-i1-1", "sd-i2-0", "sd-i2-1"]);
    }

    [Theory]
    [InlineData("""{"users":3,"installationsPerUser":1}""")]
    [InlineData("""{"prefix":"sd","users":0,"installationsPerUser":1}""")]
    [InlineData("""{"prefix":"sd","users":3,"installationsPerUser":21}""")]
    [InlineData("""{"prefix":"sd","users":3,"installationsPerUser":1,"environment":"Staging"}""")]
    [InlineData("""{"prefix":""")]
    public async Task Seed_WhenTheRequestIsMalformed_ShouldAnswer400AndAddNothing(string body)
    {
        // Arrange
        await using var host = await SandboxHost.StartMountedAsync();

        // Act
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await host.Client.Http.PostAsync("_sandbox/seed", content, Ct);

        // Assert
        await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest);
        (await host.Client.UsersAsync(cancellationToken: Ct)).ShouldBeEmpty();
    }
}
