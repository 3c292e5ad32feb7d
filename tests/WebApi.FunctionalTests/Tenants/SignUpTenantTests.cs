using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.Tenants;

public sealed class SignUpTenantTests(HubFactory hub)
{
    [Fact]
    public async Task SignUp_WhenNew_ShouldAnswer202WithLocationAndPendingAccount()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId();

        // Act
        using var response = await hub.SignUpAsync(tenantId, "Acme Ltd");

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        response.Headers.Location!.ToString().ShouldBe($"/api/tenants/{tenantId}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("tenantId").GetString().ShouldBe(tenantId);
        body.GetProperty("name").GetString().ShouldBe("Acme Ltd");
        var alloy = body.GetProperty("alloy");
        alloy.GetProperty("environment").GetString().ShouldBe("Development");
        alloy.GetProperty("username").GetString().ShouldBe(tenantId);
        alloy.GetProperty("state").GetString().ShouldBeOneOf("Pending", "Provisioning", "Provisioned");
    }

    [Fact]
    public async Task SignUp_WhenNew_ShouldEndProvisionedWithOneAlloyUser()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId("one");

        // Act
        var tenant = await hub.SignUpProvisionedAsync(tenantId);

        // Assert
        var users = await hub.Sandbox.UsersAsync(tenantId);
        users.Count.ShouldBe(1);
        tenant.UserId().ShouldBe(users[0].UserId);
        tenant.GetProperty("alloy").GetProperty("attempts").GetInt32().ShouldBe(1);
        tenant.GetProperty("alloy").GetProperty("provisionedAt").ValueKind.ShouldBe(JsonValueKind.String);
    }

    [Fact]
    public async Task SignUp_WhenRepeatedWithSameName_ShouldAnswer200WithTheSameTenant()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId();
        using var first = await hub.SignUpAsync(tenantId, "Same Name");
        first.StatusCode.ShouldBe(HttpStatusCode.Accepted);

        // Act
        using var second = await hub.SignUpAsync(tenantId, "Same Name");

        // Assert
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await second.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("tenantId").GetString().ShouldBe(tenantId);
        body.GetProperty("createdAt").GetDateTimeOffset()
            .ShouldBe((await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("createdAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task SignUp_WhenRepeatedWithAnotherName_ShouldAnswer409TenantConflict()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId();
        using var first = await hub.SignUpAsync(tenantId, "First Name");

        // Act
        using var second = await hub.SignUpAsync(tenantId, "Other Name");

        // Assert
        var problem = await second.ReadProblemAsync(HttpStatusCode.Conflict);
        problem.GetProperty("type").GetString().ShouldBe("/problems/tenant-conflict");
    }

    [Fact]
    public async Task SignUp_When20TenantsSignUp_ShouldProvisionExactly20Users()
    {
        // Arrange
        var prefix = HubApi.NewTenantId("batch");
        var tenantIds = Enumerable.Range(0, 20).Select(i => $"{prefix}-{i:D2}").ToList();

        // Act
        var responses = await Task.WhenAll(tenantIds.Select(id => hub.SignUpAsync(id, $"Tenant {id}")));

        // Assert
        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Accepted);
        foreach (var id in tenantIds)
        {
            await hub.WaitForStateAsync(id, "Provisioned");
        }

        var users = await hub.Sandbox.UsersAsync(prefix);
        users.Count.ShouldBe(20);
        users.Select(u => u.Username).Distinct().Count().ShouldBe(20);
    }

    [Fact]
    public async Task SignUp_When50IdenticalSignupsRace_ShouldCreateOneTenantAndOneUser()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId("race");

        // Act
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => hub.SignUpAsync(tenantId, "Racing Ltd")));

        // Assert
        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Accepted || r.StatusCode == HttpStatusCode.OK);
        responses.Count(r => r.StatusCode == HttpStatusCode.Accepted).ShouldBe(1);
        await hub.WaitForStateAsync(tenantId, "Provisioned");
        (await hub.Sandbox.UsersAsync(tenantId)).Count.ShouldBe(1);
    }

    public static TheoryData<string, string, string> InvalidBodies => new()
    {
        { "{bad json", "application/json", "body" },
        { "{\"tenantId\": 5, \"name\": \"x\"}", "application/json", "tenantId" },
        { "{\"tenantId\": \"ok-id\", \"name\": [1]}", "application/json", "name" },
        { "{\"name\": \"No Id\"}", "application/json", "tenantId" },
        { "{\"tenantId\": \"no-name\"}", "application/json", "name" },
        { "{\"tenantId\": \"bad id!\", \"name\": \"x\"}", "application/json", "tenantId" },
        { "{\"tenantId\": \"-leading-dash\", \"name\": \"x\"}", "application/json", "tenantId" },
        { "{\"tenantId\": \"" + new string('a', 65) + "\", \"name\": \"x\"}", "application/json", "tenantId" },
        { "{\"tenantId\": \"long-name\", \"name\": \"" + new string('n', 201) + "\"}", "application/json", "name" },
        { "{\"tenantId\": \"blank-name\", \"name\": \"   \"}", "application/json", "name" },
        { "", "application/json", "body" },
        { "null", "application/json", "body" },
        { "[]", "application/json", "body" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task SignUp_WhenBodyIsInvalid_ShouldAnswer400ValidationProblem(string body, string contentType, string field)
    {
        // Arrange
        using var content = new StringContent(body, Encoding.UTF8, contentType);

        // Act
        using var response = await hub.CreateServiceClient().PostAsync("/api/tenants", content);

        // Assert
        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("type").GetString().ShouldBe("/problems/validation");
        if (field != "body")
        {
            problem.GetProperty("errors").TryGetProperty(field, out var messages).ShouldBeTrue(problem.ToString());
            messages.GetArrayLength().ShouldBeGreaterThan(0);
        }
    }

    [Fact]
    public async Task SignUp_WhenContentTypeIsNotJson_ShouldAnswer415Problem()
    {
        // Arrange
        using var content = new StringContent("tenantId=x&name=y", Encoding.UTF8, "application/x-www-form-urlencoded");

        // Act
        using var response = await hub.CreateServiceClient().PostAsync("/api/tenants", content);

        // Assert
        await response.ReadProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task SignUp_WhenCalledWithoutCredentials_ShouldAnswer401()
    {
        // Act
        using var response = await hub.CreateAnonymousClient().PostAsJsonAsync("/api/tenants", new { tenantId = "x1", name = "x" });

        // Assert
        var problem = await response.ReadProblemAsync(HttpStatusCode.Unauthorized);
        problem.GetProperty("type").GetString().ShouldBe("/problems/unauthorized");
    }

    [Fact]
    public async Task SignUp_WhenCalledByATenantMemberOrAdmin_ShouldAnswer403()
    {
        // Arrange
        var tenantId = HubApi.NewTenantId();

        // Act
        using var member = await hub.CreateMemberClient(tenantId).PostAsJsonAsync("/api/tenants", new { tenantId, name = "x" });
        using var admin = await hub.CreateAdminClient().PostAsJsonAsync("/api/tenants", new { tenantId, name = "x" });

        // Assert
        await member.ReadProblemAsync(HttpStatusCode.Forbidden);
        await admin.ReadProblemAsync(HttpStatusCode.Forbidden);
    }
}
