using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationHub.WebApi.FunctionalTests.Security;

/// <summary>Frontend JWTs validated against an OIDC authority (discovery + JWKS), as with a real identity provider.</summary>
public sealed class OidcAuthorityTests
{
    [Fact]
    public async Task AuthorityMode_ShouldAcceptTheIdentityProvidersTokensOnly()
    {
        // Arrange: a minimal identity provider on loopback, and a hub that trusts it.
        using var idpKey = RSA.Create(2048);
        using var strangerKey = RSA.Create(2048);
        await using var idp = await FakeIdentityProvider.StartAsync(idpKey);
        await using var hub = new ConfiguredHub(new Dictionary<string, string?>
        {
            ["Alloy:Sandbox"] = "true",
            ["Hangfire:WorkerCount"] = "0",
            ["Auth:Jwt:Authority"] = idp.Issuer,
            ["Auth:Jwt:Issuer"] = idp.Issuer,
            ["Auth:Jwt:Audience"] = "integration-hub",
            ["Auth:Jwt:SigningKey"] = string.Empty,
        });
        var tenantId = HubApi.NewTenantId("oidc");
        (await hub.CreateClient(HubFactory.ServiceKey).PostAsJsonAsync("/api/tenants", new { tenantId, name = "Oidc" })).Dispose();

        // Act
        using var valid = await Get(hub, tenantId, Rs256(idpKey, "idp-key", idp.Issuer, tenantId));
        using var otherKey = await Get(hub, tenantId, Rs256(strangerKey, "idp-key", idp.Issuer, tenantId));
        using var hs256 = await Get(hub, tenantId, TestJwt.Create(tenantId, issuer: idp.Issuer));
        using var otherTenant = await Get(hub, tenantId, Rs256(idpKey, "idp-key", idp.Issuer, "someone-else"));

        // Assert
        valid.StatusCode.ShouldBe(HttpStatusCode.OK);
        otherKey.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        hs256.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        otherTenant.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    private static Task<HttpResponseMessage> Get(ConfiguredHub hub, string tenantId, string token)
    {
        var client = hub.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client.GetAsync($"/api/tenants/{tenantId}");
    }

    private static string Rs256(RSA key, string keyId, string issuer, string tenantId) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = "integration-hub",
            Expires = DateTime.UtcNow.AddMinutes(10),
            Claims = new Dictionary<string, object> { ["sub"] = "oidc-user", ["tenant_id"] = tenantId },
            Subject = new ClaimsIdentity(),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key) { KeyId = keyId }, SecurityAlgorithms.RsaSha256),
        });

    private sealed class FakeIdentityProvider : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private FakeIdentityProvider(WebApplication app, string issuer)
        {
            _app = app;
            Issuer = issuer;
        }

        public string Issuer { get; }

        public static async Task<FakeIdentityProvider> StartAsync(RSA key)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(key.ExportParameters(false)) { KeyId = "idp-key" });
            app.MapGet("/.well-known/openid-configuration", (HttpContext http) =>
            {
                var issuer = $"{http.Request.Scheme}://{http.Request.Host}";
                return Results.Json(new Dictionary<string, object>
                {
                    ["issuer"] = issuer,
                    ["jwks_uri"] = issuer + "/jwks",
                    ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                });
            });
            app.MapGet("/jwks", () => Results.Json(new { keys = new[] { new { kty = jwk.Kty, use = "sig", kid = jwk.Kid, alg = "RS256", n = jwk.N, e = jwk.E } } }));
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new FakeIdentityProvider(app, address.TrimEnd('/'));
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
