using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.Tokens;

/// <summary>
/// A token from the reuse window costs no database read (the provisioned account is remembered), and the memory never
/// outlives a change this process makes: offboarding refuses the next token at once.
/// </summary>
public sealed class TokenHitPathTests
{
    private static ConfiguredHub CreateHub() => new(new Dictionary<string, string?>
    {
        ["Alloy:Sandbox"] = "true",
        // appsettings.json keeps EF Core at Warning; these tests count its "Executed DbCommand" events.
        ["Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore"] = "Information",
    });

    [Fact]
    public async Task IssueModalToken_WithinTheReuseWindow_ShouldRunNoDatabaseCommand()
    {
        // Arrange
        await using var hub = CreateHub();
        var tenantId = HubApi.NewTenantId("hit");
        var service = hub.CreateClient(HubFactory.ServiceKey);
        (await service.PostAsJsonAsync("/api/tenants", new { tenantId, name = "Hit" })).Dispose();
        var member = hub.CreateClient();
        member.DefaultRequestHeaders.Authorization = new("Bearer", TestJwt.ForMember(tenantId));
        using (var first = await member.PostAsync($"/api/tenants/{tenantId}/alloy-token", null))
        {
            first.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var path = $"/api/tenants/{tenantId}/alloy-token";
        var commandsBefore = DatabaseCommands(hub, path);

        // Act
        string[] tokens = new string[5];
        for (var i = 0; i < tokens.Length; i++)
        {
            using var response = await member.PostAsync($"/api/tenants/{tenantId}/alloy-token", null);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            tokens[i] = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        }

        // Assert
        commandsBefore.ShouldBeGreaterThan(0, "the first request read the account: the log filter works");
        DatabaseCommands(hub, path).ShouldBe(commandsBefore);
        tokens.Distinct().Count().ShouldBe(1);
    }

    [Fact]
    public async Task IssueModalToken_RightAfterOffboarding_ShouldBeRefusedAlthoughTheAccountWasRemembered()
    {
        // Arrange
        await using var hub = CreateHub();
        var tenantId = HubApi.NewTenantId("gone");
        var service = hub.CreateClient(HubFactory.ServiceKey);
        (await service.PostAsJsonAsync("/api/tenants", new { tenantId, name = "Gone" })).Dispose();
        using (var remembered = await service.PostAsync($"/api/tenants/{tenantId}/alloy-token", null))
        {
            remembered.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // Act
        using var offboard = await service.DeleteAsync($"/api/tenants/{tenantId}");
        using var token = await service.PostAsync($"/api/tenants/{tenantId}/alloy-token", null);

        // Assert
        offboard.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await token.ReadProblemAsync(HttpStatusCode.Conflict)).GetProperty("type").GetString().ShouldBe("/problems/tenant-offboarded");
    }

    private static int DatabaseCommands(ConfiguredHub hub, string requestPath) =>
        hub.LogSink.Containing([requestPath]).Count(e => e.Contains("Executed DbCommand", StringComparison.Ordinal));
}
