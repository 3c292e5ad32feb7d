using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.Installations;

/// <summary>
/// Alloy lists installations only for the whole account, so concurrent refreshes of different tenants share one
/// <c>GET /installations</c>, counted by the sandbox; and a refresh is never answered with a listing that started
/// before it asked (<c>Alloy:CoalesceInstallationListings</c>, on by default).
/// </summary>
public sealed class InstallationListingCoalescingTests
{
    private const int Tenants = 200;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Refresh_When200TenantsRefreshAtOnce_ShouldShareAtMostTwoAccountListingsAndGiveEachItsOwn()
    {
        // Arrange: 200 provisioned tenants, each with one installation of its own in Alloy.
        await using var hub = new ConfiguredHub(new Dictionary<string, string?> { ["Alloy:Sandbox"] = "true" });
        var service = hub.CreateClient(HubFactory.ServiceKey);
        var tenants = await ProvisionAsync(hub, service, Tenants);
        var integrationId = (await service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenants[0].TenantId}/integrations", Ct))
            .GetProperty("items")[0].GetProperty("integrationId").GetString()!;
        var installed = new Dictionary<string, string>();
        foreach (var chunk in tenants.Chunk(10))
        {
            var ids = await Task.WhenAll(chunk.Select(t => hub.Sandbox.InstallAsync(t.UserId, integrationId, cancellationToken: Ct)));
            for (var i = 0; i < chunk.Length; i++)
            {
                installed[chunk[i].TenantId] = ids[i];
            }
        }

        var before = await hub.Sandbox.CallsAsync("GET /installations", Ct);

        // Act: every tenant's frontend refreshes at once (each as its own member).
        var answers = await Task.WhenAll(tenants.Select(async t =>
        {
            using var member = hub.CreateClient();
            member.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestJwt.ForMember(t.TenantId));
            using var response = await member.PostAsync($"/api/tenants/{t.TenantId}/installations/refresh", null, Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
            return (t.TenantId, Body: await response.Content.ReadFromJsonAsync<JsonElement>(Ct));
        }));
        var listings = await hub.Sandbox.CallsAsync("GET /installations", Ct) - before;

        // Assert
        TestContext.Current.SendDiagnosticMessage($"{Tenants} concurrent refreshes made {listings} upstream GET /installations call(s)");
        listings.ShouldBeInRange(1, 2);
        foreach (var (tenantId, body) in answers)
        {
            body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("installationId").GetString()).ShouldBe([installed[tenantId]]);
        }
    }

    [Fact]
    public async Task Refresh_WhenAnInstallationCompletesWhileAnotherTenantsListingIsInFlight_ShouldNotBeAnsweredWithThatListing()
    {
        // Arrange: the early tenant's refresh is listing (its answer held by the sandbox's gate) when the late tenant's
        // installation completes; the late tenant's refresh then asks.
        await using var hub = new ConfiguredHub(new Dictionary<string, string?> { ["Alloy:Sandbox"] = "true" });
        var service = hub.CreateClient(HubFactory.ServiceKey);
        var tenants = await ProvisionAsync(hub, service, 2);
        var (early, late) = (tenants[0], tenants[1]);
        var integrationId = (await service.GetFromJsonAsync<JsonElement>($"/api/tenants/{late.TenantId}/integrations", Ct))
            .GetProperty("items")[0].GetProperty("integrationId").GetString()!;
        await hub.Sandbox.CloseGateAsync("GET", "/installations", times: 1, afterHandling: true, cancellationToken: Ct);
        var earlyRefresh = service.PostAsync($"/api/tenants/{early.TenantId}/installations/refresh", null, Ct);
        await Poll.UntilAsync(ct => hub.Sandbox.HeldAtGateAsync(ct), held => held == 1, "the early listing to be held", cancellationToken: Ct);
        var installationId = await hub.Sandbox.InstallAsync(late.UserId, integrationId, cancellationToken: Ct);

        // Act
        var lateRefresh = service.PostAsync($"/api/tenants/{late.TenantId}/installations/refresh", null, Ct);
        await hub.Sandbox.OpenGateAsync(Ct);
        using var lateAnswer = await lateRefresh;
        using var earlyAnswer = await earlyRefresh;

        // Assert: a single refresh, and it already shows the installation.
        lateAnswer.StatusCode.ShouldBe(HttpStatusCode.OK);
        earlyAnswer.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await lateAnswer.Content.ReadFromJsonAsync<JsonElement>(Ct);
        body.GetProperty("items").EnumerateArray().Single().GetProperty("installationId").GetString().ShouldBe(installationId);
    }

    private static async Task<List<(string TenantId, string UserId)>> ProvisionAsync(ConfiguredHub hub, HttpClient service, int count)
    {
        var ids = Enumerable.Range(0, count).Select(_ => HubApi.NewTenantId("co")).ToList();
        foreach (var chunk in ids.Chunk(10))
        {
            await Task.WhenAll(chunk.Select(async tenantId =>
            {
                using var response = await service.PostAsJsonAsync("/api/tenants", new { tenantId, name = tenantId }, Ct);
                response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
            }));
        }

        var admin = hub.CreateClient(HubFactory.AdminKey);
        var provisioned = await Poll.UntilAsync(
            async ct => (await admin.GetFromJsonAsync<JsonElement>("/api/admin/tenants?state=Provisioned&limit=500", ct))
                .GetProperty("items").EnumerateArray().ToList(),
            items => ids.All(id => items.Any(i => i.GetProperty("tenantId").GetString() == id)),
            $"{count} tenants to be provisioned",
            timeout: TimeSpan.FromSeconds(120),
            interval: TimeSpan.FromMilliseconds(500));
        return [.. ids.Select(id => (id, provisioned.Single(i => i.GetProperty("tenantId").GetString() == id).UserId()!))];
    }
}
