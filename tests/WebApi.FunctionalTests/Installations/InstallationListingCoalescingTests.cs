using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.Installations;

/// <summary>
/// Alloy lists installations only for the whole account, so concurrent refreshes of different tenants share one
/// <c>GET /installations</c> (single flight plus <c>Alloy:InstallationsListingReuseWindow</c>), counted by the sandbox.
/// </summary>
public sealed class InstallationListingCoalescingTests
{
    private const int Tenants = 200;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Refresh_When200TenantsRefreshAtOnce_ShouldShareAtMostTwoAccountListingsAndGiveEachItsOwn()
    {
        // Arrange: 200 provisioned tenants, each with one installation of its own in Alloy.
        await using var hub = new ConfiguredHub(new Dictionary<string, string?>
        {
            ["Alloy:Sandbox"] = "true",
            ["Alloy:InstallationsListingReuseWindow"] = "00:00:02", // the shipped default
        });
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
    public async Task Refresh_WhenAnInstallationCompletesAfterAListing_ShouldSeeItOnceTheReuseWindowHasPassed()
    {
        // Arrange: a short window, and a listing made (by another tenant's refresh) before the installation completes.
        await using var hub = new ConfiguredHub(new Dictionary<string, string?>
        {
            ["Alloy:Sandbox"] = "true",
            ["Alloy:InstallationsListingReuseWindow"] = "00:00:01",
        });
        var service = hub.CreateClient(HubFactory.ServiceKey);
        var tenants = await ProvisionAsync(hub, service, 2);
        var (early, late) = (tenants[0], tenants[1]);
        using (var first = await service.PostAsync($"/api/tenants/{early.TenantId}/installations/refresh", null, Ct))
        {
            first.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var listedBefore = await hub.Sandbox.CallsAsync("GET /installations", Ct);
        var integrationId = (await service.GetFromJsonAsync<JsonElement>($"/api/tenants/{late.TenantId}/integrations", Ct))
            .GetProperty("items")[0].GetProperty("integrationId").GetString()!;
        var installationId = await hub.Sandbox.InstallAsync(late.UserId, integrationId, cancellationToken: Ct);

        // Act: the late tenant refreshes until the installation shows (a refresh inside the window may be served the old listing).
        var refreshed = await Poll.UntilAsync(
            async ct =>
            {
                using var response = await service.PostAsync($"/api/tenants/{late.TenantId}/installations/refresh", null, ct);
                return await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            },
            b => b.GetProperty("items").GetArrayLength() > 0,
            "a listing made after the installation",
            timeout: TimeSpan.FromSeconds(10),
            interval: TimeSpan.FromMilliseconds(200));

        // Assert: it took a new upstream listing; the old one was not reused past its window.
        refreshed.GetProperty("items").EnumerateArray().Single().GetProperty("installationId").GetString().ShouldBe(installationId);
        (await hub.Sandbox.CallsAsync("GET /installations", Ct)).ShouldBeGreaterThan(listedBefore);
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
