using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Bench.Host;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.Platform;

/// <summary>The benchmark host (bench/IntegrationHub.Bench.Host: the hub plus its baselines), shared by the tests of this class.</summary>
public sealed class BenchHub : IAsyncDisposable
{
    public ConfiguredHub<BenchHostProgram> Hub { get; } = new(new Dictionary<string, string?>
    {
        ["Alloy:Sandbox"] = "true",
    });

    public ValueTask DisposeAsync() => Hub.DisposeAsync();
}

/// <summary>
/// The baselines bench/ compares the hub with must sit behind the same authentication as the endpoints they stand in
/// for, answer bad input like them, and (the admin query) answer exactly the same; they exist only when enabled.
/// </summary>
public sealed class BenchEndpointTests(BenchHub bench, HubFactory defaultHub) : IClassFixture<BenchHub>
{
    private ConfiguredHub<BenchHostProgram> Hub => bench.Hub;

    [Fact]
    public async Task BenchRoutes_WhenTheHubRunsWithoutTheBenchmarkHost_ShouldNotExist()
    {
        // Act
        using var signup = await defaultHub.CreateServiceClient().PostAsJsonAsync("/_bench/signups", new { tenantId = "bench-off", name = "Off" });
        using var token = await defaultHub.CreateMemberClient("bench-off").PostAsync("/_bench/tenants/bench-off/bare-token", null);

        // Assert
        signup.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        token.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var document = await defaultHub.CreateAnonymousClient().GetStringAsync("/openapi/v1.json");
        document.ShouldNotContain("/_bench");
        var benchDocument = await Hub.CreateClient().GetStringAsync("/openapi/v1.json");
        benchDocument.ShouldNotContain("/_bench");
    }

    [Fact]
    public async Task BenchmarkHost_WhenTheEnvironmentIsProduction_ShouldRefuseToStart()
    {
        // Arrange
        await using var production = new ConfiguredHub<BenchHostProgram>(
            new Dictionary<string, string?> { ["Alloy:Sandbox"] = "false", ["Alloy:ApiKey"] = "a-real-key" }, "Production", start: false);

        // Act
        var failure = Should.Throw<Exception>(() => production.CreateClient());

        // Assert
        failure.ToString().ShouldContain("benchmark baselines are never served in Production");
    }

    [Fact]
    public async Task BareToken_ShouldBeAuthorizedExactlyLikeTheTokenEndpoint()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId("bench");
        var member = Hub.CreateClient();
        member.DefaultRequestHeaders.Authorization = new("Bearer", TestJwt.ForMember(tenantId));
        var stranger = Hub.CreateClient();
        stranger.DefaultRequestHeaders.Authorization = new("Bearer", TestJwt.ForMember(HubApi.NewTenantId("other")));

        // Act
        using var own = await member.PostAsync($"/_bench/tenants/{tenantId}/bare-token", null);
        using var foreign = await stranger.PostAsync($"/_bench/tenants/{tenantId}/bare-token", null);
        using var anonymous = await Hub.CreateClient().PostAsync($"/_bench/tenants/{tenantId}/bare-token", null);
        using var admin = await Hub.CreateClient(HubFactory.AdminKey).PostAsync($"/_bench/tenants/{tenantId}/bare-token", null);

        // Assert
        own.StatusCode.ShouldBe(HttpStatusCode.OK);
        own.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var body = await own.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("token").GetString()!.Length.ShouldBeGreaterThan(100);
        await foreign.ReadProblemAsync(HttpStatusCode.Forbidden);
        await anonymous.ReadProblemAsync(HttpStatusCode.Unauthorized);
        await admin.ReadProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task RawSignup_ShouldInsertOnceAndRefuseDuplicatesBadInputAndOtherCallers()
    {
        // Arrange
        var service = Hub.CreateClient(HubFactory.ServiceKey);
        var tenantId = HubApi.NewTenantId("raw");

        // Act
        using var first = await service.PostAsJsonAsync("/_bench/signups", new { tenantId, name = "Raw" });
        using var again = await service.PostAsJsonAsync("/_bench/signups", new { tenantId, name = "Raw" });
        using var invalid = await service.PostAsJsonAsync("/_bench/signups", new { tenantId = "not a tenant id!", name = "Raw" });
        using var malformed = await service.PostAsync("/_bench/signups", new StringContent("{", System.Text.Encoding.UTF8, "application/json"));
        using var admin = await Hub.CreateClient(HubFactory.AdminKey).PostAsJsonAsync("/_bench/signups", new { tenantId = HubApi.NewTenantId("raw"), name = "Raw" });

        // Assert
        first.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await again.ReadProblemAsync(HttpStatusCode.Conflict);
        await invalid.ReadProblemAsync(HttpStatusCode.BadRequest);
        await malformed.ReadProblemAsync(HttpStatusCode.BadRequest);
        await admin.ReadProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task RawEventIntake_ShouldInsertThePayloadOncePerKeyAndRefuseBadInputAndOtherCallersLikeTheIntake()
    {
        // Arrange
        var service = Hub.CreateClient(HubFactory.ServiceKey);
        var tenantId = HubApi.NewTenantId("rawevt");
        var body = new { @event = "ticket.created", data = new { ticketId = "T-1", subject = "Raw", priority = "high" } };
        async Task<HttpResponseMessage> SendAsync(HttpClient client, object payload, string? key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/_bench/tenants/{tenantId}/events") { Content = JsonContent.Create(payload) };
            if (key is not null)
            {
                request.Headers.Add("Idempotency-Key", key);
            }

            return await client.SendAsync(request);
        }

        // Act
        using var first = await SendAsync(service, body, "key-1");
        using var again = await SendAsync(service, body, "key-1");
        using var other = await SendAsync(service, body, "key-2");
        using var notAnObject = await SendAsync(service, new { @event = "ticket.created", data = "text" }, "key-3");
        using var noEvent = await SendAsync(service, new { data = new { } }, "key-4");
        using var malformed = await service.PostAsync($"/_bench/tenants/{tenantId}/events", new StringContent("{", System.Text.Encoding.UTF8, "application/json"));
        using var admin = await SendAsync(Hub.CreateClient(HubFactory.AdminKey), body, "key-5");
        using var anonymous = await SendAsync(Hub.CreateClient(), body, "key-6");

        // Assert
        first.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var stored = await first.Content.ReadFromJsonAsync<JsonElement>();
        stored.GetProperty("tenantId").GetString().ShouldBe(tenantId);
        stored.GetProperty("idempotencyKey").GetString().ShouldBe("key-1");
        other.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await other.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64().ShouldBeGreaterThan(stored.GetProperty("id").GetInt64());
        await again.ReadProblemAsync(HttpStatusCode.Conflict);
        await notAnObject.ReadProblemAsync(HttpStatusCode.BadRequest);
        await noEvent.ReadProblemAsync(HttpStatusCode.BadRequest);
        await malformed.ReadProblemAsync(HttpStatusCode.BadRequest);
        await admin.ReadProblemAsync(HttpStatusCode.Forbidden);
        await anonymous.ReadProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RawInstallations_ShouldAnswerByteForByteWhatTheAdminQueryAnswers()
    {
        // Arrange: two tenants with installations recorded through the real refresh.
        var admin = Hub.CreateClient(HubFactory.AdminKey);
        var service = Hub.CreateClient(HubFactory.ServiceKey);
        var tenants = new[] { HubApi.NewTenantId("q"), HubApi.NewTenantId("q") };
        string? integrationId = null;
        foreach (var tenantId in tenants)
        {
            (await service.PostAsJsonAsync("/api/tenants", new { tenantId, name = "Query" })).Dispose();
            var integrations = await service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/integrations");
            var tenant = await service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}");
            foreach (var integration in integrations.GetProperty("items").EnumerateArray().Take(3))
            {
                integrationId ??= integration.GetProperty("integrationId").GetString();
                await Hub.Sandbox.InstallAsync(tenant.UserId()!, integration.GetProperty("integrationId").GetString()!);
            }

            (await service.PostAsync($"/api/tenants/{tenantId}/installations/refresh", null)).Dispose();
        }

        var firstPage = await admin.GetFromJsonAsync<JsonElement>("/api/admin/installations?limit=2");
        var cursor = firstPage.GetProperty("nextCursor").GetString();
        string[] queries =
        [
            "",
            "?limit=2",
            $"?limit=2&cursor={cursor}",
            $"?tenantId={tenants[0]}",
            $"?integrationId={integrationId}",
            $"?integrationId={integrationId}&enabled=true&limit=1",
            "?enabled=false",
        ];

        foreach (var query in queries)
        {
            // Act
            var fromHub = await admin.GetStringAsync("/api/admin/installations" + query);
            var fromSql = await admin.GetStringAsync("/_bench/installations" + query);

            // Assert
            fromSql.ShouldBe(fromHub, query);
        }

        JsonDocument.Parse(await admin.GetStringAsync("/_bench/installations?limit=500")).RootElement.GetProperty("items").GetArrayLength().ShouldBeGreaterThanOrEqualTo(6);
        using var badLimit = await admin.GetAsync("/_bench/installations?limit=0");
        await badLimit.ReadProblemAsync(HttpStatusCode.BadRequest);
        using var member = await service.GetAsync("/_bench/installations");
        await member.ReadProblemAsync(HttpStatusCode.Forbidden);
    }
}
