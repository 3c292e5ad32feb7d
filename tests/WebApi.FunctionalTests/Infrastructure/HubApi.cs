using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace IntegrationHub.WebApi.FunctionalTests.Infrastructure;

/// <summary>Test data and the common calls, with defaulted parameters.</summary>
public static class HubApi
{
    public static string NewTenantId(string prefix = "t") => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 64)];

    public static async Task<HttpResponseMessage> SignUpAsync(this HubFactory hub, string? tenantId = null, string? name = null) =>
        await hub.CreateServiceClient().PostAsJsonAsync("/api/tenants", new { tenantId = tenantId ?? NewTenantId(), name = name ?? "Acme Ltd" });

    public static async Task<JsonElement> GetTenantAsync(this HubFactory hub, string tenantId)
    {
        using var response = await hub.CreateServiceClient().GetAsync($"/api/tenants/{tenantId}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static string State(this JsonElement tenant) => tenant.GetProperty("alloy").GetProperty("state").GetString()!;

    public static string? UserId(this JsonElement tenant) => tenant.GetProperty("alloy").GetProperty("userId").GetString();

    /// <summary>Signs a tenant up and waits until the background job has provisioned it.</summary>
    public static async Task<JsonElement> SignUpProvisionedAsync(this HubFactory hub, string? tenantId = null, string? name = null)
    {
        tenantId ??= NewTenantId();
        using (var response = await hub.SignUpAsync(tenantId, name))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        return await hub.WaitForStateAsync(tenantId, "Provisioned");
    }

    public static Task<JsonElement> WaitForStateAsync(this HubFactory hub, string tenantId, string state, TimeSpan? timeout = null) =>
        Poll.UntilAsync(() => hub.GetTenantAsync(tenantId), t => t.State() == state, $"tenant {tenantId} to be {state}", timeout);

    public static async Task<JsonElement> ReadProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", text);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        problem.GetProperty("status").GetInt32().ShouldBe((int)status);
        problem.GetProperty("type").GetString().ShouldStartWith("/problems/");
        problem.GetProperty("title").GetString().ShouldNotBeNullOrWhiteSpace();
        problem.GetProperty("detail").GetString().ShouldNotBeNullOrWhiteSpace();
        problem.GetProperty("traceId").GetString().ShouldNotBeNullOrWhiteSpace();
        return problem;
    }
}
