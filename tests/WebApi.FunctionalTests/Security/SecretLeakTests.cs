using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntegrationHub.AlloySandbox;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Serilog.Events;

namespace IntegrationHub.WebApi.FunctionalTests.Security;

/// <summary>
/// Secrets never reach the logs. A hub of its own, with every secret configured (service and admin keys, a primary
/// Alloy key that Alloy refuses and a secondary one it accepts, the JWT signing key, the webhook signing key), logging
/// everything at Verbose into a capture, is driven through every route of its API description, the admin console's
/// session and dashboard, and the error paths (refused credentials, bad input, Alloy failures, forged webhooks).
/// Then every captured event is searched for every secret, and for any JWT at all (frontend tokens, minted Alloy
/// tokens and dev tokens start with "eyJ").
/// </summary>
public sealed class SecretLeakTests(HubFactory hub)
{
    private const string AlloyPrimaryKey = "leak-test-alloy-primary-key-5b0c3e";
    private const string AlloySecondaryKey = "leak-test-alloy-secondary-key-91d7af";
    private const string TypoKey = HubFactory.ServiceKey + "-typo";

    private static readonly string[] KnownSecrets =
    [
        HubFactory.ServiceKey,
        HubFactory.AdminKey,
        SandboxDefaults.DevelopmentKey,
        TestJwt.SigningKeyBase64,
        "eyJ",
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Logs_WhenEveryEndpointIsCalledWithSecretsConfigured_ShouldContainNoSecret()
    {
        // Arrange
        using var webhookKey = RSA.Create(2048);
        var webhookPrivateKey = webhookKey.ExportPkcs8PrivateKeyPem();
        await using var leakHub = new ConfiguredHub(new Dictionary<string, string?>
        {
            ["Alloy:Sandbox"] = "true",
            ["Alloy:ApiKey"] = AlloyPrimaryKey,
            ["Alloy:SecondaryApiKey"] = AlloySecondaryKey,
            ["AlloySandbox:Keys:0:Key"] = AlloySecondaryKey,
            ["AlloySandbox:Keys:0:Environment"] = "Development",
            ["AlloyWebhooks:PublicKeyPem"] = webhookKey.ExportSubjectPublicKeyInfoPem(),
            ["AlloySandbox:Webhooks:PrivateKeyPem"] = webhookPrivateKey,
            ["AlloySandbox:Webhooks:ErrorUrl"] = "/api/webhooks/alloy/errors",
            ["Tokens:ReuseWindow"] = "00:00:00",
            ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Verbose",
            ["Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore"] = "Verbose",
            ["Serilog:MinimumLevel:Override:Polly"] = "Verbose",
            ["Serilog:MinimumLevel:Override:Hangfire"] = "Verbose",
            ["Webhooks:AllowPrivateNetworks"] = "true",
            ["Webhooks:RetrySchedule"] = "00:00:00.050",
        });
        await using var receiver = await WebhookReceiver.StartAsync();
        var traffic = new Traffic(leakHub, receiver);

        // Act
        var secrets = await traffic.DriveEveryEndpointAsync();
        secrets.AddRange(KnownSecrets);
        secrets.AddRange([AlloyPrimaryKey, AlloySecondaryKey, TypoKey]);
        secrets.AddRange(PemBodyLines(webhookPrivateKey));
        var leaks = leakHub.LogSink.Containing(secrets);

        // Assert: the traffic covered the whole API description and the capture saw every level down to Verbose,
        // including the headers of the outgoing requests to Alloy that carried the keys (redacted: "Authorization: *").
        var documented = await traffic.DocumentedRoutesAsync();
        documented.Except(traffic.Covered).ShouldBeEmpty("routes of /openapi/v1.json this test did not call");
        leakHub.LogSink.CountAt(LogEventLevel.Verbose).ShouldBeGreaterThan(0);
        leakHub.LogSink.CountAt(LogEventLevel.Debug).ShouldBeGreaterThan(0);
        leakHub.LogSink.Containing(["Authorization: *"]).ShouldNotBeEmpty("the capture must see the headers of the hub's calls to Alloy");
        leaks.ShouldBeEmpty(string.Join(Environment.NewLine, leaks.Take(5)));
    }

    [Fact]
    public async Task ProblemsAndHealth_ShouldContainNoSecret()
    {
        // Act
        using var refused = await hub.CreateAnonymousClient().SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/admin/tenants")
        {
            Headers = { { "X-Api-Key", HubFactory.ServiceKey }, { "Authorization", "Bearer " + TestJwt.ForMember("x") } },
        }, Ct);
        var health = await hub.CreateAnonymousClient().GetFromJsonAsync<JsonElement>("/health/ready", Ct);

        // Assert
        foreach (var text in new[] { await refused.Content.ReadAsStringAsync(Ct), health.ToString() })
        {
            foreach (var secret in KnownSecrets)
            {
                text.ShouldNotContain(secret);
            }
        }
    }

    /// <summary>The base64 lines of a PEM block: any one of them in a log would be a piece of the key.</summary>
    private static IEnumerable<string> PemBodyLines(string pem) =>
        pem.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith("-----", StringComparison.Ordinal));

    /// <summary>Calls the hub the way its callers do, and records which documented routes were called.</summary>
    private sealed class Traffic(ConfiguredHub hub, WebhookReceiver receiver)
    {
        private readonly HashSet<string> _covered = new(StringComparer.Ordinal);

        public IReadOnlySet<string> Covered => _covered;

        /// <summary>Drives every kind of traffic; returns the secrets it was handed on the way (tokens, the session cookie).</summary>
        public async Task<List<string>> DriveEveryEndpointAsync()
        {
            var secrets = new List<string>();
            using var service = hub.CreateClient(HubFactory.ServiceKey);
            using var admin = hub.CreateClient(HubFactory.AdminKey);
            using var anonymous = hub.CreateClient();

            // Webhooks to the SaaS backend: the endpoint's signing secrets (created, then rotated) sign every delivery below.
            string endpointId;
            using (var created = await SendAsync(admin, HttpMethod.Post, "/api/admin/webhook-endpoints", "/api/admin/webhook-endpoints", new { url = receiver.Url("/leak") }))
            {
                created.StatusCode.ShouldBe(HttpStatusCode.Created);
                var endpoint = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
                endpointId = endpoint.GetProperty("id").GetString()!;
                secrets.Add(endpoint.GetProperty("secret").GetString()!["whsec_".Length..]);
            }

            using (var rotated = await SendAsync(admin, HttpMethod.Post, "/api/admin/webhook-endpoints/{endpointId}/rotate-secret", $"/api/admin/webhook-endpoints/{endpointId}/rotate-secret"))
            {
                secrets.Add((await rotated.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("secret").GetString()!["whsec_".Length..]);
            }

            receiver.Script("/leak", new ScriptedAnswer(500, Body: "receiver trouble"));

            // Tenants: sign-up (Alloy refuses the primary key, the secondary one creates the user), reads, retry.
            var tenantId = HubApi.NewTenantId("leak");
            (await CallAsync(service, HttpMethod.Post, "/api/tenants", "/api/tenants", new { tenantId, name = "Leak Ltd" })).ShouldBe(HttpStatusCode.Accepted);
            var tenant = await Poll.UntilAsync(
                ct => service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}", ct),
                t => t.State() == "Provisioned",
                $"tenant {tenantId} to be provisioned with the secondary Alloy key");
            await CallAsync(service, HttpMethod.Get, "/api/tenants/{tenantId}", $"/api/tenants/{tenantId}");
            await CallAsync(service, HttpMethod.Post, "/api/tenants/{tenantId}/provisioning/retry", $"/api/tenants/{tenantId}/provisioning/retry");

            // The member's calls with a frontend JWT: the Alloy token (minted by Alloy: a secret), integrations, installations.
            var memberJwt = TestJwt.ForMember(tenantId);
            secrets.Add(memberJwt);
            using var member = Bearer(memberJwt);
            using (var token = await SendAsync(member, HttpMethod.Post, "/api/tenants/{tenantId}/alloy-token", $"/api/tenants/{tenantId}/alloy-token"))
            {
                token.StatusCode.ShouldBe(HttpStatusCode.OK);
                secrets.Add((await token.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("token").GetString()!);
            }

            using (var integrations = await SendAsync(member, HttpMethod.Get, "/api/tenants/{tenantId}/integrations", $"/api/tenants/{tenantId}/integrations"))
            {
                var integrationId = (await integrations.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("items")[0].GetProperty("integrationId").GetString()!;
                using var sandbox = new SandboxClient(hub.CreateClient(), SandboxClient.MountedRoot);
                await sandbox.InstallAsync(tenant.UserId()!, integrationId, AlloySecondaryKey);
            }

            await CallAsync(member, HttpMethod.Post, "/api/tenants/{tenantId}/installations/refresh", $"/api/tenants/{tenantId}/installations/refresh");
            await CallAsync(member, HttpMethod.Get, "/api/tenants/{tenantId}/installations", $"/api/tenants/{tenantId}/installations");

            // Alloy's error stream: a delivery signed by the sandbox, and forged ones.
            using (var emit = await anonymous.PostAsJsonAsync(
                "/sandbox/alloy/_sandbox/webhooks/errors",
                new { userId = tenant.UserId(), executionId = Guid.NewGuid().ToString("N"), error = "Shopify answered 401" },
                Ct))
            {
                emit.StatusCode.ShouldBe(HttpStatusCode.OK, await emit.Content.ReadAsStringAsync(Ct));
            }

            _covered.Add("POST /api/webhooks/alloy/errors");
            (await CallAsync(anonymous, HttpMethod.Post, "/api/webhooks/alloy/errors", "/api/webhooks/alloy/errors", new { executionId = "forged" })).ShouldBe(HttpStatusCode.Unauthorized);
            using (var tampered = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/alloy/errors") { Content = new StringContent("{\"executionId\":\"x\"}", Encoding.UTF8, "application/json") })
            {
                tampered.Headers.Add("X-Alloy-Signature", Convert.ToBase64String(RandomNumberGenerator.GetBytes(256)));
                tampered.Headers.Add("X-Alloy-Timestamp", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
                (await anonymous.SendAsync(tampered, Ct)).Dispose();
            }

            await CallAsync(member, HttpMethod.Get, "/api/tenants/{tenantId}/integration-errors", $"/api/tenants/{tenantId}/integration-errors");

            // Alloy's installation webhook: a forged delivery (the signed path is covered by the installation webhook tests).
            (await CallAsync(anonymous, HttpMethod.Post, "/api/webhooks/alloy/installations", "/api/webhooks/alloy/installations",
                new { userId = tenant.UserId(), integrationId = "forged", success = true })).ShouldBe(HttpStatusCode.Unauthorized);

            // Admin queries.
            await CallAsync(admin, HttpMethod.Get, "/api/admin/tenants", "/api/admin/tenants?limit=10");
            var installations = await admin.GetFromJsonAsync<JsonElement>("/api/admin/installations?limit=10", Ct);
            _covered.Add("GET /api/admin/installations");
            var installationId = installations.GetProperty("items")[0].GetProperty("installationId").GetString()!;
            await CallAsync(admin, HttpMethod.Get, "/api/admin/installations/{installationId}/history", $"/api/admin/installations/{installationId}/history");
            await CallAsync(admin, HttpMethod.Get, "/api/admin/audit", "/api/admin/audit?limit=10");
            await CallAsync(admin, HttpMethod.Get, "/api/admin/installation-webhooks", "/api/admin/installation-webhooks?unmatched=true&limit=10");
            await CallAsync(admin, HttpMethod.Get, "/api/admin/integration-errors", "/api/admin/integration-errors?limit=10");

            // The admin console: the session cookie is a credential too; the dashboard behind it.
            using (var cookies = hub.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, BaseAddress = anonymous.BaseAddress! }))
            {
                cookies.DefaultRequestHeaders.Add("X-Api-Key", HubFactory.AdminKey);
                using var session = await SendAsync(cookies, HttpMethod.Post, "/admin/session", "/admin/session");
                session.StatusCode.ShouldBe(HttpStatusCode.OK);
                var cookie = session.Headers.GetValues("Set-Cookie").First().Split(';')[0];
                secrets.Add(cookie[(cookie.IndexOf('=', StringComparison.Ordinal) + 1)..]);
                using var dashboard = new HttpRequestMessage(HttpMethod.Get, "/hangfire");
                dashboard.Headers.Add("Cookie", cookie);
                (await cookies.SendAsync(dashboard, Ct)).Dispose();
                await CallAsync(cookies, HttpMethod.Delete, "/admin/session", "/admin/session");
            }

            // Development helpers, problem pages, health.
            using (var devJwt = await SendAsync(anonymous, HttpMethod.Post, "/dev/jwt", "/dev/jwt", new { tenantId }))
            {
                secrets.Add((await devJwt.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("token").GetString()!);
            }

            await CallAsync(anonymous, HttpMethod.Get, "/problems/{slug}", "/problems/validation");
            await CallAsync(anonymous, HttpMethod.Get, "/health/live", "/health/live");
            await CallAsync(anonymous, HttpMethod.Get, "/health/ready", "/health/ready");

            // Refused credentials and bad input.
            using (var typo = Header("X-Api-Key", TypoKey))
            {
                (await CallAsync(typo, HttpMethod.Get, "/api/tenants/{tenantId}", $"/api/tenants/{tenantId}")).ShouldBe(HttpStatusCode.Unauthorized);
            }

            foreach (var refused in new[]
            {
                TestJwt.Create(tenantId, expires: DateTime.UtcNow.AddHours(-1)),
                TestJwt.Create(tenantId, signingKeyBase64: Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))),
                TestJwt.Unsigned(tenantId),
                TestJwt.ForMember("someone-else"),
            })
            {
                secrets.Add(refused);
                using var client = Bearer(refused);
                await CallAsync(client, HttpMethod.Post, "/api/tenants/{tenantId}/alloy-token", $"/api/tenants/{tenantId}/alloy-token");
            }

            using (var both = Header("X-Api-Key", HubFactory.ServiceKey))
            {
                both.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", memberJwt);
                await CallAsync(both, HttpMethod.Get, "/api/admin/tenants", "/api/admin/tenants");
            }

            (await CallAsync(service, HttpMethod.Post, "/api/tenants", "/api/tenants", new { tenantId = "Not A Valid Id!", name = "" })).ShouldBe(HttpStatusCode.BadRequest);
            using (var malformed = new HttpRequestMessage(HttpMethod.Post, "/api/tenants") { Content = new StringContent("{\"tenantId\":", Encoding.UTF8, "application/json") })
            {
                (await service.SendAsync(malformed, Ct)).Dispose();
            }

            await CallAsync(service, HttpMethod.Get, "/api/tenants/{tenantId}", "/api/tenants/no-such-tenant");

            // Alloy failing: a server error and a rate limit on the token route (retries and their logs).
            using (var sandbox = new SandboxClient(hub.CreateClient(), SandboxClient.MountedRoot))
            {
                await sandbox.SetFaultsAsync(new
                {
                    retryAfterSeconds = 0,
                    scripted = new object[]
                    {
                        new { method = "GET", path = "/users/{uid}/token", status = 500, times = 1 },
                        new { method = "GET", path = "/users/{uid}/token", status = 429, times = 1 },
                    },
                });
                await CallAsync(member, HttpMethod.Post, "/api/tenants/{tenantId}/alloy-token", $"/api/tenants/{tenantId}/alloy-token");
                await sandbox.ClearFaultsAsync();
            }

            // The webhook admin routes, once deliveries exist (the first failed once and was retried).
            var delivered = await Poll.UntilAsync(
                _ => Task.FromResult(receiver.Received("/leak").Where(r => r.AnsweredStatus == 200).ToList()),
                r => r.Count > 0,
                "a webhook to reach the receiver");
            await CallAsync(admin, HttpMethod.Get, "/api/admin/webhook-endpoints", "/api/admin/webhook-endpoints");
            await CallAsync(admin, HttpMethod.Get, "/api/admin/webhook-endpoints/{endpointId}", $"/api/admin/webhook-endpoints/{endpointId}");
            await CallAsync(admin, HttpMethod.Patch, "/api/admin/webhook-endpoints/{endpointId}", $"/api/admin/webhook-endpoints/{endpointId}", new { description = "leak test" });
            await CallAsync(admin, HttpMethod.Get, "/api/admin/webhook-endpoints/{endpointId}/deliveries", $"/api/admin/webhook-endpoints/{endpointId}/deliveries");
            await CallAsync(admin, HttpMethod.Post, "/api/admin/webhook-messages/{messageId}/replay", $"/api/admin/webhook-messages/{delivered[0].Id}/replay");
            await CallAsync(admin, HttpMethod.Post, "/api/admin/webhook-endpoints/{endpointId}/replay", $"/api/admin/webhook-endpoints/{endpointId}/replay?since=2020-01-01T00:00:00Z");
            await CallAsync(admin, HttpMethod.Post, "/api/admin/webhook-endpoints", "/api/admin/webhook-endpoints", new { url = "http://10.0.0.1/", eventTypes = new[] { "nope" } });

            // The event plane: an event refused by Alloy once (Failed, event.failed), replayed, listed, read; a batch.
            using (var sandbox = new SandboxClient(hub.CreateClient(), SandboxClient.MountedRoot))
            {
                await sandbox.SetFaultsAsync(new { scripted = new object[] { new { method = "POST", path = "/run/event", status = 400, times = 1 } } });
                string eventId;
                using (var accepted = await SendAsync(service, HttpMethod.Post, "/api/tenants/{tenantId}/events", $"/api/tenants/{tenantId}/events", new { @event = "ticket.created", data = new { ticketId = "T-leak" } }))
                {
                    eventId = (await accepted.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("eventId").GetString()!;
                }

                await Poll.UntilAsync(
                    ct => service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/events/{eventId}", ct),
                    e => e.GetProperty("status").GetString() == "Failed",
                    "the event refused by Alloy to fail");
                await sandbox.ClearFaultsAsync();
                await CallAsync(admin, HttpMethod.Post, "/api/admin/events/{eventId}/replay", $"/api/admin/events/{eventId}/replay");
                await CallAsync(service, HttpMethod.Get, "/api/tenants/{tenantId}/events", $"/api/tenants/{tenantId}/events");
                await CallAsync(service, HttpMethod.Get, "/api/tenants/{tenantId}/events/{eventId}", $"/api/tenants/{tenantId}/events/{eventId}");
                await CallAsync(admin, HttpMethod.Get, "/api/admin/events", $"/api/admin/events?tenantId={tenantId}");
                await CallAsync(service, HttpMethod.Post, "/api/events", "/api/events", new { events = new object[] { new { tenantId, @event = "invoice.paid", data = new { invoiceId = "I-leak" } }, new { tenantId, @event = "nope", data = new { } } } });
            }

            // Offboarding, which deletes the Alloy user with the keys.
            await CallAsync(service, HttpMethod.Delete, "/api/tenants/{tenantId}", $"/api/tenants/{tenantId}");
            await Poll.UntilAsync(
                ct => admin.GetFromJsonAsync<JsonElement>($"/api/admin/audit?tenantId={tenantId}&limit=100", ct),
                a => a.GetProperty("items").EnumerateArray().Any(e => e.GetProperty("action").GetString() == "TenantDeprovisioned"),
                $"{tenantId} to be deprovisioned");
            await CallAsync(admin, HttpMethod.Delete, "/api/admin/webhook-endpoints/{endpointId}", $"/api/admin/webhook-endpoints/{endpointId}");
            return secrets;
        }

        /// <summary>Every "METHOD /template" of the API description the hub serves.</summary>
        public async Task<IReadOnlySet<string>> DocumentedRoutesAsync()
        {
            using var client = hub.CreateClient();
            var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);
            return document.GetProperty("paths").EnumerateObject()
                .SelectMany(path => path.Value.EnumerateObject().Select(method => $"{method.Name.ToUpperInvariant()} {path.Name}"))
                .ToHashSet(StringComparer.Ordinal);
        }

        private async Task<HttpStatusCode> CallAsync(HttpClient client, HttpMethod method, string template, string url, object? body = null)
        {
            using var response = await SendAsync(client, method, template, url, body);
            return response.StatusCode;
        }

        private async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string template, string url, object? body = null)
        {
            _covered.Add($"{method.Method} {template}");
            using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
            return await client.SendAsync(request, Ct);
        }

        private HttpClient Bearer(string token)
        {
            var client = hub.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return client;
        }

        private HttpClient Header(string name, string value)
        {
            var client = hub.CreateClient();
            client.DefaultRequestHeaders.Add(name, value);
            return client;
        }
    }
}
