using System.Net;
using System.Net.Http.Json;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.Security;

/// <summary>
/// Every route × every kind of caller and broken credential. Invalid credentials are 401 with no hint; a valid
/// caller the route does not admit is 403; a refused answer never carries the tenant's data.
/// </summary>
public sealed class AccessMatrixTests(HubFactory hub)
{
    private const string OwnerName = "Matrix Owner Confidential Ltd";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static (string TenantId, string UserId)? _owner;

    [Flags]
    public enum Callers
    {
        None = 0,
        Member = 1,
        Service = 2,
        Admin = 4,
    }

    public sealed record Route(string Method, string Path, Callers Allowed, bool SignUpBody = false)
    {
        public override string ToString() => $"{Method} {Path}";
    }

    public static readonly Route[] Routes =
    [
        new("POST", "/api/tenants", Callers.Service, SignUpBody: true),
        new("GET", "/api/tenants/{t}", Callers.Member | Callers.Service | Callers.Admin),
        new("POST", "/api/tenants/{t}/provisioning/retry", Callers.Service | Callers.Admin),
        new("POST", "/api/tenants/{t}/alloy-token", Callers.Member | Callers.Service),
        new("GET", "/api/tenants/{t}/integrations", Callers.Member | Callers.Service | Callers.Admin),
        new("POST", "/api/tenants/{t}/installations/refresh", Callers.Member | Callers.Service),
        new("GET", "/api/tenants/{t}/installations", Callers.Member | Callers.Service | Callers.Admin),
        new("GET", "/api/admin/tenants", Callers.Admin),
        new("GET", "/api/admin/installations", Callers.Admin),
        new("GET", "/api/admin/installations/000000000000000000000000/history", Callers.Admin),
        new("GET", "/api/admin/audit", Callers.Admin),
        new("GET", "/api/tenants/{t}/integration-errors", Callers.Member | Callers.Service | Callers.Admin),
        new("GET", "/api/admin/integration-errors", Callers.Admin),
        new("GET", "/api/admin/installation-webhooks", Callers.Admin),
        new("POST", "/api/admin/webhook-endpoints", Callers.Admin),
        new("GET", "/api/admin/webhook-endpoints", Callers.Admin),
        new("GET", "/api/admin/webhook-endpoints/ep_000000000000000000000000", Callers.Admin),
        new("PATCH", "/api/admin/webhook-endpoints/ep_000000000000000000000000", Callers.Admin),
        new("DELETE", "/api/admin/webhook-endpoints/ep_000000000000000000000000", Callers.Admin),
        new("POST", "/api/admin/webhook-endpoints/ep_000000000000000000000000/rotate-secret", Callers.Admin),
        new("GET", "/api/admin/webhook-endpoints/ep_000000000000000000000000/deliveries", Callers.Admin),
        new("POST", "/api/admin/webhook-endpoints/ep_000000000000000000000000/replay?since=2026-01-01T00:00:00Z", Callers.Admin),
        new("POST", "/api/admin/webhook-messages/msg_000000000000000000000000/replay", Callers.Admin),
        new("POST", "/api/tenants/{t}/events", Callers.Service),
        new("POST", "/api/events", Callers.Service),
        new("GET", "/api/tenants/{t}/events", Callers.Service | Callers.Admin),
        new("GET", "/api/tenants/{t}/events/evt_000000000000000000000000", Callers.Service | Callers.Admin),
        new("GET", "/api/admin/events", Callers.Admin),
        new("POST", "/api/admin/events/evt_000000000000000000000000/replay", Callers.Admin),
    ];

    public static readonly string[] Credentials =
    [
        "none", "malformed-bearer", "expired", "other-signing-key", "alg-none", "wrong-issuer", "wrong-audience",
        "unknown-api-key", "empty-api-key", "other-tenant-member", "same-tenant-member", "service-key", "admin-key", "admin-jwt",
    ];

    public static TheoryData<string, string> Matrix()
    {
        var data = new TheoryData<string, string>();
        foreach (var route in Routes)
        {
            foreach (var credential in Credentials)
            {
                data.Add(route.ToString(), credential);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Route_WhenCalledWithACredential_ShouldAdmitOnlyItsCallers(string routeName, string credential)
    {
        // Arrange
        var route = Routes.Single(r => r.ToString() == routeName);
        var (tenantId, userId) = await OwnerAsync();
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Path.Replace("{t}", tenantId, StringComparison.Ordinal));
        if (route.SignUpBody)
        {
            request.Content = JsonContent.Create(new { tenantId, name = OwnerName });
        }

        Authorize(request, credential, tenantId);

        // Act
        using var response = await hub.CreateAnonymousClient().SendAsync(request);

        // Assert
        var expected = Expected(route, credential);
        var body = await response.Content.ReadAsStringAsync();
        if (expected is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            await response.ReadProblemAsync(expected.Value);
            body.ShouldNotContain(OwnerName);
            body.ShouldNotContain(userId);
            body.ShouldNotContain("eyJ");
        }
        else
        {
            response.StatusCode.ShouldNotBe(HttpStatusCode.Unauthorized, body);
            response.StatusCode.ShouldNotBe(HttpStatusCode.Forbidden, body);
            ((int)response.StatusCode).ShouldBeLessThan(500, body);
        }
    }

    private static HttpStatusCode? Expected(Route route, string credential) => credential switch
    {
        "same-tenant-member" => route.Allowed.HasFlag(Callers.Member) ? null : HttpStatusCode.Forbidden,
        "other-tenant-member" => HttpStatusCode.Forbidden,
        "service-key" => route.Allowed.HasFlag(Callers.Service) ? null : HttpStatusCode.Forbidden,
        "admin-key" or "admin-jwt" => route.Allowed.HasFlag(Callers.Admin) ? null : HttpStatusCode.Forbidden,
        _ => HttpStatusCode.Unauthorized,
    };

    private static void Authorize(HttpRequestMessage request, string credential, string tenantId)
    {
        var now = DateTime.UtcNow;
        switch (credential)
        {
            case "none":
                break;
            case "malformed-bearer":
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer not.a.jwt");
                break;
            case "expired":
                Bearer(request, TestJwt.Create(tenantId, expires: now.AddMinutes(-5)));
                break;
            case "other-signing-key":
                Bearer(request, TestJwt.Create(tenantId, signingKeyBase64: Convert.ToBase64String(new byte[32] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 })));
                break;
            case "alg-none":
                Bearer(request, TestJwt.Unsigned(tenantId));
                break;
            case "wrong-issuer":
                Bearer(request, TestJwt.Create(tenantId, issuer: "https://evil.example/idp"));
                break;
            case "wrong-audience":
                Bearer(request, TestJwt.Create(tenantId, audience: "another-api"));
                break;
            case "unknown-api-key":
                request.Headers.Add("X-Api-Key", "not-a-configured-key");
                break;
            case "empty-api-key":
                request.Headers.TryAddWithoutValidation("X-Api-Key", string.Empty);
                break;
            case "other-tenant-member":
                Bearer(request, TestJwt.ForMember("matrix-intruder"));
                break;
            case "same-tenant-member":
                Bearer(request, TestJwt.ForMember(tenantId));
                break;
            case "service-key":
                request.Headers.Add("X-Api-Key", HubFactory.ServiceKey);
                break;
            case "admin-key":
                request.Headers.Add("X-Api-Key", HubFactory.AdminKey);
                break;
            case "admin-jwt":
                Bearer(request, TestJwt.ForAdmin());
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(credential), credential, null);
        }
    }

    private static void Bearer(HttpRequestMessage request, string token) =>
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

    private async Task<(string TenantId, string UserId)> OwnerAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_owner is null)
            {
                var tenantId = HubApi.NewTenantId("matrix");
                var tenant = await hub.SignUpProvisionedAsync(tenantId, OwnerName);
                _owner = (tenantId, tenant.UserId()!);
            }

            return _owner.Value;
        }
        finally
        {
            Gate.Release();
        }
    }
}
