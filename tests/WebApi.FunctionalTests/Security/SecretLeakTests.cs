using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.Security;

/// <summary>
/// Runs after every other test of the shared hub (see <see cref="LastCollectionOrderer"/>) and scans every log event
/// the whole functional suite produced, at every level, for secrets: service keys, the Alloy key, the JWT signing
/// key, and any JWT at all (frontend tokens and minted Alloy modal tokens both start with "eyJ").
/// </summary>
[Collection(CollectionName)]
public sealed class SecretLeakTests(HubFactory hub)
{
    public const string CollectionName = "Secret scan " + LastCollectionOrderer.LastMarker;

    private static readonly string[] Secrets =
    [
        HubFactory.ServiceKey,
        HubFactory.AdminKey,
        HubFactory.SandboxKey,
        TestJwt.SigningKeyBase64,
        "eyJ",
    ];

    [Fact]
    public async Task LogsOfTheWholeSuite_ShouldContainNoSecret()
    {
        // Arrange: make sure this run's own traffic includes tokens, refused credentials and failures.
        var tenantId = HubApi.NewTenantId("leak");
        await hub.SignUpProvisionedAsync(tenantId);
        using var token = await hub.CreateMemberClient(tenantId).PostAsync($"/api/tenants/{tenantId}/alloy-token", null);
        token.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var wrongKey = await hub.CreateAnonymousClient().SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/tenants/{tenantId}")
        {
            Headers = { { "X-Api-Key", HubFactory.ServiceKey + "-typo" } },
        });
        using var expired = await hub.CreateBearerClient(TestJwt.Create(tenantId, expires: DateTime.UtcNow.AddHours(-1))).GetAsync($"/api/tenants/{tenantId}");

        // Act
        var leaks = hub.LogSink.Containing(Secrets.Append(HubFactory.ServiceKey + "-typo"));

        // Assert
        hub.LogSink.Count.ShouldBeGreaterThan(1000, "the capture must have seen the suite");
        leaks.ShouldBeEmpty(string.Join(Environment.NewLine, leaks.Take(5)));
    }

    [Fact]
    public async Task ProblemsAndHealth_ShouldContainNoSecret()
    {
        // Act
        using var refused = await hub.CreateAnonymousClient().SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/admin/tenants")
        {
            Headers = { { "X-Api-Key", HubFactory.ServiceKey }, { "Authorization", "Bearer " + TestJwt.ForMember("x") } },
        });
        var health = await hub.CreateAnonymousClient().GetFromJsonAsync<JsonElement>("/health/ready");

        // Assert
        foreach (var text in new[] { await refused.Content.ReadAsStringAsync(), health.ToString() })
        {
            foreach (var secret in Secrets)
            {
                text.ShouldNotContain(secret);
            }
        }
    }
}
