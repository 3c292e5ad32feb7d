using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntegrationHub.Infrastructure.Webhooks;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.Webhooks;

/// <summary>
/// Alloy's error stream end to end: the in-process sandbox signs and delivers error records to the hub's
/// <c>POST /api/webhooks/alloy/errors</c> over real HTTP; the hub verifies, deduplicates, maps to the tenant and serves
/// them. Hand-built requests cover what Alloy would never send (unsigned, tampered, foreign key, oversized).
/// </summary>
public sealed class AlloyErrorWebhookTests(AlloyErrorWebhookTests.WebhookHub fixture) : IClassFixture<AlloyErrorWebhookTests.WebhookHub>
{
    private const string WebhookPath = "/api/webhooks/alloy/errors";
    private const string EmitPath = "/sandbox/alloy/_sandbox/webhooks/errors";

    private ConfiguredHub Hub => fixture.Hub;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Delivery_WhenSignedBySandboxForAProvisionedTenantsUser_ShouldBeStoredAndServedToThatTenantOnly()
    {
        // Arrange
        var (tenantId, userId) = await fixture.ProvisionAsync("wh-owner");
        var (otherTenantId, _) = await fixture.ProvisionAsync("wh-other");
        var executionId = NewId();

        // Act
        var delivery = await EmitAsync(new
        {
            userId,
            executionId,
            workflowId = "65f1a0c2e4b0a1b2c3d4e601",
            blockName = "Create Order",
            blockType = "shopify",
            error = "Shopify answered 401 Unauthorized",
        });
        using var member = await Hub.CreateBearer(TestJwt.ForMember(tenantId)).GetAsync($"/api/tenants/{tenantId}/integration-errors", Ct);
        using var service = await Hub.CreateClient(HubFactory.ServiceKey).GetAsync($"/api/tenants/{tenantId}/integration-errors", Ct);
        using var intruder = await Hub.CreateBearer(TestJwt.ForMember(otherTenantId)).GetAsync($"/api/tenants/{tenantId}/integration-errors", Ct);
        using var otherOwn = await Hub.CreateBearer(TestJwt.ForMember(otherTenantId)).GetAsync($"/api/tenants/{otherTenantId}/integration-errors", Ct);
        var admin = await Hub.CreateClient(HubFactory.AdminKey).GetFromJsonAsync<JsonElement>($"/api/admin/integration-errors?tenantId={tenantId}", Ct);

        // Assert: the sandbox's delivery was accepted as new and attributed to the tenant.
        delivery.GetProperty("statusCode").GetInt32().ShouldBe(202, delivery.ToString());
        using (var answer = JsonDocument.Parse(delivery.GetProperty("responseBody").GetString()!))
        {
            answer.RootElement.GetProperty("executionId").GetString().ShouldBe(executionId);
            answer.RootElement.GetProperty("tenantId").GetString().ShouldBe(tenantId);
            answer.RootElement.GetProperty("duplicate").GetBoolean().ShouldBeFalse();
        }

        member.StatusCode.ShouldBe(HttpStatusCode.OK);
        var item = (await member.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("items").EnumerateArray().Single();
        item.GetProperty("executionId").GetString().ShouldBe(executionId);
        item.GetProperty("tenantId").GetString().ShouldBe(tenantId);
        item.GetProperty("alloyUserId").GetString().ShouldBe(userId);
        item.GetProperty("workflowId").GetString().ShouldBe("65f1a0c2e4b0a1b2c3d4e601");
        item.GetProperty("blockName").GetString().ShouldBe("Create Order");
        item.GetProperty("blockType").GetString().ShouldBe("shopify");
        item.GetProperty("environment").GetString().ShouldBe("Development");
        item.GetProperty("errorMessage").GetString().ShouldBe("Shopify answered 401 Unauthorized");
        item.GetProperty("payload").GetProperty("executionId").GetString().ShouldBe(executionId);
        item.GetProperty("payload").GetProperty("_id").GetString()!.ShouldMatch("^[0-9a-f]{24}$");
        service.StatusCode.ShouldBe(HttpStatusCode.OK);
        await intruder.ReadProblemAsync(HttpStatusCode.Forbidden);
        (await otherOwn.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("items").GetArrayLength().ShouldBe(0);
        admin.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("executionId").GetString()).ShouldBe([executionId]);
    }

    [Fact]
    public async Task TenantList_WhenThereAreMoreErrorsThanALimit_ShouldPageNewestFirst()
    {
        // Arrange
        var (tenantId, userId) = await fixture.ProvisionAsync("wh-pages");
        var executions = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var executionId = NewId();
            executions.Add(executionId);
            (await EmitAsync(new { userId, executionId })).GetProperty("statusCode").GetInt32().ShouldBe(202);
        }

        var member = Hub.CreateBearer(TestJwt.ForMember(tenantId));

        // Act
        var first = await member.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/integration-errors?limit=2", Ct);
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await member.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/integration-errors?limit=2&cursor={cursor}", Ct);
        using var badCursor = await member.GetAsync($"/api/tenants/{tenantId}/integration-errors?cursor=garbage", Ct);
        using var unknownTenant = await Hub.CreateClient(HubFactory.ServiceKey).GetAsync("/api/tenants/no-such-tenant/integration-errors", Ct);

        // Assert
        var pages = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray())
            .Select(i => i.GetProperty("executionId").GetString()!).ToList();
        pages.ShouldBe(Enumerable.Reverse(executions).ToList());
        cursor.ShouldNotBeNull();
        second.GetProperty("nextCursor").ValueKind.ShouldBe(JsonValueKind.Null);
        (await badCursor.ReadProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("cursor", out _).ShouldBeTrue();
        await unknownTenant.ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delivery_WhenTheSameExecutionArrivesAgain_ShouldBeStoredOnceAndAnsweredAsDuplicate()
    {
        // Arrange
        var (_, userId) = await fixture.ProvisionAsync("wh-dup");
        var executionId = NewId();
        var workflowId = NewId();

        // Act
        var first = await EmitAsync(new { userId, executionId, workflowId });
        var second = await EmitAsync(new { userId, executionId, workflowId, error = "a retried delivery" });
        var stored = await Hub.CreateClient(HubFactory.AdminKey).GetFromJsonAsync<JsonElement>($"/api/admin/integration-errors?workflowId={workflowId}", Ct);

        // Assert
        first.GetProperty("statusCode").GetInt32().ShouldBe(202);
        second.GetProperty("statusCode").GetInt32().ShouldBe(200);
        second.GetProperty("responseBody").GetString()!.ShouldContain("\"duplicate\":true");
        var item = stored.GetProperty("items").EnumerateArray().Single();
        item.GetProperty("errorMessage").GetString().ShouldNotBe("a retried delivery");
    }

    [Fact]
    public async Task Delivery_WhenRepeatsRaceEachOther_ShouldStoreOneAndAnswerTheRestAsDuplicates()
    {
        // Arrange
        var (_, userId) = await fixture.ProvisionAsync("wh-race");
        var executionId = NewId();
        var workflowId = NewId();
        var body = Record(executionId, workflowId);

        // Act
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var request = Signed(body, Headers(executionId, userId, workflowId));
            using var response = await Hub.CreateClient().SendAsync(request, Ct);
            return response.StatusCode;
        }));
        var stored = await Hub.CreateClient(HubFactory.AdminKey).GetFromJsonAsync<JsonElement>($"/api/admin/integration-errors?workflowId={workflowId}", Ct);

        // Assert
        responses.Count(s => s == HttpStatusCode.Accepted).ShouldBe(1, string.Join(", ", responses));
        responses.Count(s => s == HttpStatusCode.OK).ShouldBe(7, string.Join(", ", responses));
        stored.GetProperty("items").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Delivery_WhenTheAlloyUserBelongsToNoTenant_ShouldBeKeptWithoutATenantForAdminsOnly()
    {
        // Arrange
        var (tenantId, _) = await fixture.ProvisionAsync("wh-bystander");
        var executionId = NewId();
        const string strangerUserId = "ffffffffffffffffffffff01";

        // Act
        var delivery = await EmitAsync(new { userId = strangerUserId, executionId });
        var admin = await Hub.CreateClient(HubFactory.AdminKey).GetFromJsonAsync<JsonElement>("/api/admin/integration-errors?limit=500", Ct);
        var tenant = await Hub.CreateClient(HubFactory.ServiceKey).GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/integration-errors", Ct);
        using var memberOnAdmin = await Hub.CreateBearer(TestJwt.ForMember(tenantId)).GetAsync("/api/admin/integration-errors", Ct);

        // Assert
        delivery.GetProperty("statusCode").GetInt32().ShouldBe(202);
        delivery.GetProperty("responseBody").GetString()!.ShouldContain("\"tenantId\":null");
        var item = admin.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("executionId").GetString() == executionId);
        item.GetProperty("tenantId").ValueKind.ShouldBe(JsonValueKind.Null);
        item.GetProperty("alloyUserId").GetString().ShouldBe(strangerUserId);
        tenant.GetProperty("items").GetArrayLength().ShouldBe(0);
        await memberOnAdmin.ReadProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Delivery_WhenUnsigned_ShouldAnswer401AndStoreNothing()
    {
        // Arrange
        var executionId = NewId();
        using var request = Signed(Record(executionId), Headers(executionId), signature: null);

        // Act
        using var response = await Hub.CreateClient().SendAsync(request, Ct);

        // Assert
        var problem = await response.ReadProblemAsync(HttpStatusCode.Unauthorized);
        problem.GetProperty("type").GetString().ShouldBe("/problems/invalid-signature");
        await ShouldNotBeStoredAsync(executionId);
    }

    [Theory]
    [InlineData("body")]
    [InlineData("url")]
    [InlineData("method")]
    [InlineData("other-key")]
    [InlineData("malformed-hex")]
    [InlineData("truncated")]
    public async Task Delivery_WhenTheSignatureDoesNotMatchTheRequest_ShouldAnswer401AndStoreNothing(string tampering)
    {
        // Arrange
        var executionId = NewId();
        var body = Record(executionId);
        var signature = tampering switch
        {
            "body" => Sign(Record(executionId, error: "something else")),
            "url" => Sign(body, url: WebhookUrl(Hub) + "?tenant=evil"),
            "method" => Sign(body, method: "PUT"),
            "other-key" => Sign(body, key: fixture.Stranger),
            "malformed-hex" => "not-hex-" + Sign(body)[8..],
            "truncated" => Sign(body)[..^2],
            _ => throw new ArgumentOutOfRangeException(nameof(tampering)),
        };
        using var request = Signed(body, Headers(executionId), signature);

        // Act
        using var response = await Hub.CreateClient().SendAsync(request, Ct);

        // Assert
        var problem = await response.ReadProblemAsync(HttpStatusCode.Unauthorized);
        problem.GetProperty("type").GetString().ShouldBe("/problems/invalid-signature");
        await ShouldNotBeStoredAsync(executionId);
    }

    [Fact]
    public async Task Delivery_WhenSentToAnotherUrlThanWasSigned_ShouldAnswer401()
    {
        // Arrange: signed for the plain URL, sent with a query string added on the way.
        var executionId = NewId();
        var body = Record(executionId);
        using var request = Signed(body, Headers(executionId), Sign(body), path: WebhookPath + "?tenant=evil");

        // Act
        using var response = await Hub.CreateClient().SendAsync(request, Ct);

        // Assert
        (await response.ReadProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("type").GetString().ShouldBe("/problems/invalid-signature");
    }

    [Theory]
    [InlineData("X-Alloy-ExecutionUuid", "x-alloy-executionuuid")]
    [InlineData("X-Alloy-UserId", "x-alloy-userid")]
    public async Task Delivery_WhenSignedButARequiredHeaderIsMissing_ShouldAnswer400(string header, string field)
    {
        // Arrange
        var executionId = NewId();
        var headers = Headers(executionId);
        headers.Remove(header);
        using var request = Signed(Record(executionId), headers);

        // Act
        using var response = await Hub.CreateClient().SendAsync(request, Ct);

        // Assert
        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty(field).GetArrayLength().ShouldBe(1);
        await ShouldNotBeStoredAsync(executionId);
    }

    [Theory]
    [InlineData("this is not json")]
    [InlineData("[\"an\",\"array\"]")]
    [InlineData("")]
    public async Task Delivery_WhenSignedButTheBodyIsNotAJsonObject_ShouldAnswer400(string body)
    {
        // Arrange
        var executionId = NewId();
        using var request = Signed(body, Headers(executionId));

        // Act
        using var response = await Hub.CreateClient().SendAsync(request, Ct);

        // Assert
        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty("body").GetArrayLength().ShouldBe(1);
        await ShouldNotBeStoredAsync(executionId);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Delivery_WhenTheBodyIsTooLarge_ShouldAnswer413(bool chunked)
    {
        // Arrange: a 300 KB body, with a Content-Length or streamed without one.
        var executionId = NewId();
        var body = Record(executionId, error: new string('x', 300 * 1024));
        using var request = Signed(body, Headers(executionId));
        if (chunked)
        {
            request.Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body)));
            request.Headers.TransferEncodingChunked = true;
        }

        // Act
        using var response = await Hub.CreateClient().SendAsync(request, Ct);

        // Assert
        (await response.ReadProblemAsync(HttpStatusCode.RequestEntityTooLarge)).GetProperty("type").GetString().ShouldBe("/problems/payload-too-large");
        await ShouldNotBeStoredAsync(executionId);
    }

    [Fact]
    public async Task Webhooks_WhenDelivered_ShouldLogNeitherSignaturesNorPayloadsAtInformationOrAbove()
    {
        // Arrange
        var (_, userId) = await fixture.ProvisionAsync("wh-logs");
        var executionId = NewId();
        const string secretish = "customer-data-4f1c9e do not log";
        var body = Record(executionId, error: secretish);
        var signature = Sign(body);

        // Act
        using (var request = Signed(body, Headers(executionId, userId), signature))
        using (var response = await Hub.CreateClient().SendAsync(request, Ct))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        using (var refused = Signed(body + " ", Headers(NewId(), userId), signature))
        using (var response = await Hub.CreateClient().SendAsync(refused, Ct))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        await EmitAsync(new { userId, error = secretish });

        // Assert
        Hub.LogSink.Containing([signature, signature[..64]]).ShouldBeEmpty();
        Hub.LogSink.Containing([secretish])
            .Where(e => !e.StartsWith("Verbose", StringComparison.Ordinal) && !e.StartsWith("Debug", StringComparison.Ordinal))
            .ShouldBeEmpty();
    }

    [Fact]
    public async Task Delivery_WhenTheSourceIsNotAllowed_ShouldAnswer403UntilTheAllowListContainsIt()
    {
        // Arrange: a hub whose allow-list names Alloy's documented address only.
        await using var hub = new ConfiguredHub(WebhookHub.Settings(fixture.Alloy, new Dictionary<string, string?>
        {
            ["AlloyWebhooks:AllowedIps:0"] = "3.211.13.53",
        }));
        var sandbox = hub.CreateClient();

        // Act 1
        var refused = await EmitAsync(sandbox, new { userId = "u-allow", executionId = NewId() });
        var executionId = NewId();
        var body = Record(executionId);
        using var direct = Signed(body, Headers(executionId), Sign(body, url: WebhookUrl(hub)));
        using var directResponse = await hub.CreateClient().SendAsync(direct, Ct);

        // Assert 1
        refused.GetProperty("statusCode").GetInt32().ShouldBe(403);
        refused.GetProperty("responseBody").GetString()!.ShouldContain("/problems/forbidden");
        await directResponse.ReadProblemAsync(HttpStatusCode.Forbidden);

        // Act 2: the operator adds the loopback address (both families); no restart.
        hub.Reconfigure(new Dictionary<string, string?>
        {
            ["AlloyWebhooks:AllowedIps:1"] = "127.0.0.1",
            ["AlloyWebhooks:AllowedIps:2"] = "::1",
        });
        var accepted = await EmitAsync(sandbox, new { userId = "u-allow", executionId = NewId() });

        // Assert 2
        accepted.GetProperty("statusCode").GetInt32().ShouldBe(202, accepted.ToString());
    }

    [Fact]
    public async Task Delivery_WhenNoPublicKeyIsConfigured_ShouldAnswer503AndAcceptNothing()
    {
        // Arrange: the sandbox still signs, but the hub has no key to check with.
        var settings = WebhookHub.Settings(fixture.Alloy);
        settings.Remove("AlloyWebhooks:PublicKeyPem");
        await using var hub = new ConfiguredHub(settings);

        // Act
        var delivery = await EmitAsync(hub.CreateClient(), new { userId = "u-none", executionId = NewId() });
        var executionId = NewId();
        var body = Record(executionId);
        using var direct = Signed(body, Headers(executionId), Sign(body, url: WebhookUrl(hub)));
        using var response = await hub.CreateClient().SendAsync(direct, Ct);

        // Assert
        delivery.GetProperty("statusCode").GetInt32().ShouldBe(503);
        var problem = await response.ReadProblemAsync(HttpStatusCode.ServiceUnavailable);
        problem.GetProperty("type").GetString().ShouldBe("/problems/webhooks-not-configured");
    }

    [Theory]
    [InlineData("AlloyWebhooks:PublicKeyPem", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", "AlloyWebhooks:PublicKeyPem is not an RSA public key")]
    [InlineData("AlloyWebhooks:AllowedIps:0", "alloy.example.com", "AlloyWebhooks:AllowedIps contains 'alloy.example.com'")]
    [InlineData("AlloyWebhooks:PublicUrl", "/api/webhooks/alloy/errors", "AlloyWebhooks:PublicUrl must be an absolute http(s) URL")]
    public async Task Start_WhenAWebhookSettingIsUnusable_ShouldFailNamingIt(string key, string value, string message)
    {
        // Arrange
        await using var hub = new ConfiguredHub(new Dictionary<string, string?> { [key] = value }, start: false);

        // Act
        var failure = Should.Throw<Exception>(() => hub.CreateClient());

        // Assert
        var messages = new List<string>();
        for (var e = failure; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
        }

        string.Join(" | ", messages).ShouldContain(message);
    }

    [Fact]
    public async Task ProblemTypes_OfTheWebhook_ShouldBeExplained()
    {
        foreach (var slug in new[] { "invalid-signature", "webhooks-not-configured", "payload-too-large" })
        {
            // Act
            var body = await Hub.CreateClient().GetFromJsonAsync<JsonElement>($"/problems/{slug}", Ct);

            // Assert
            body.GetProperty("explanation").GetString()!.Length.ShouldBeGreaterThan(20);
        }
    }

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    private static string WebhookUrl(ConfiguredHub hub)
    {
        using var client = hub.CreateClient();
        return new Uri(client.BaseAddress!, WebhookPath).AbsoluteUri;
    }

    private static string Record(string executionId, string? workflowId = null, string error = "Request failed with status code 500") =>
        JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["_id"] = NewId(),
            ["workflowId"] = workflowId ?? "65f1a0c2e4b0a1b2c3d4e601",
            ["executionId"] = executionId,
            ["blockId"] = Guid.NewGuid().ToString(),
            ["blockType"] = "httpRequest",
            ["error"] = error,
            ["createdAt"] = "2026-11-28T10:00:00.000Z",
            ["updatedAt"] = "2026-11-28T10:00:00.000Z",
        });

    private static Dictionary<string, string> Headers(string executionId, string userId = "ffffffffffffffffffffff99", string workflowId = "65f1a0c2e4b0a1b2c3d4e601") => new()
    {
        ["X-Alloy-ExecutionUuid"] = executionId,
        ["X-Alloy-UserId"] = userId,
        ["X-Alloy-WorkflowId"] = workflowId,
        ["X-Alloy-BlockName"] = "HTTP Request",
        ["X-Alloy-BlockType"] = "httpRequest",
    };

    private string Sign(string body, string method = "POST", string? url = null, RSA? key = null) =>
        AlloySignature.Sign(key ?? fixture.Alloy, method, url ?? WebhookUrl(Hub), Encoding.UTF8.GetBytes(body));

    /// <summary>A delivery as Alloy sends it; the signature defaults to a valid one for the shared hub's URL.</summary>
    private HttpRequestMessage Signed(string body, Dictionary<string, string> headers, string? signature = "", string path = WebhookPath)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        if (signature is not null)
        {
            request.Headers.Add(AlloySignature.HeaderName, signature.Length == 0 ? Sign(body) : signature);
        }

        return request;
    }

    private Task<JsonElement> EmitAsync(object request) => EmitAsync(Hub.CreateClient(), request);

    /// <summary>Asks the hub's mounted sandbox to deliver a signed error webhook to the hub; returns what it saw.</summary>
    private static async Task<JsonElement> EmitAsync(HttpClient client, object request)
    {
        using var response = await client.PostAsJsonAsync(EmitPath, request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task ShouldNotBeStoredAsync(string executionId)
    {
        var all = await Hub.CreateClient(HubFactory.AdminKey).GetFromJsonAsync<JsonElement>("/api/admin/integration-errors?limit=500", Ct);
        all.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("executionId").GetString()).ShouldNotContain(executionId);
    }

    /// <summary>
    /// One hub for the class, configured as a deployment receiving Alloy's webhooks: the hub holds the public key of a
    /// key pair this fixture generates, and its mounted sandbox (standing in for Alloy) signs with the private key.
    /// </summary>
    public sealed class WebhookHub : IAsyncLifetime
    {
        private ConfiguredHub? _hub;

        public RSA Alloy { get; } = RSA.Create(2048);

        public RSA Stranger { get; } = RSA.Create(2048);

        public ConfiguredHub Hub => _hub ?? throw new InvalidOperationException("Not started.");

        public static Dictionary<string, string?> Settings(RSA alloy, IDictionary<string, string?>? extra = null)
        {
            var settings = new Dictionary<string, string?>
            {
                ["Alloy:Sandbox"] = "true",
                ["AlloyWebhooks:PublicKeyPem"] = alloy.ExportSubjectPublicKeyInfoPem(),
                ["AlloySandbox:Webhooks:PrivateKeyPem"] = alloy.ExportPkcs8PrivateKeyPem(),
                ["AlloySandbox:Webhooks:ErrorUrl"] = WebhookPath,
            };
            foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
            {
                settings[key] = value;
            }

            return settings;
        }

        public ValueTask InitializeAsync()
        {
            _hub = new ConfiguredHub(Settings(Alloy));
            return ValueTask.CompletedTask;
        }

        /// <summary>Signs a tenant up and waits for its Alloy user; returns the tenant id and the Alloy user id.</summary>
        public async Task<(string TenantId, string UserId)> ProvisionAsync(string prefix)
        {
            var tenantId = HubApi.NewTenantId(prefix);
            var service = Hub.CreateClient(HubFactory.ServiceKey);
            using (var response = await service.PostAsJsonAsync("/api/tenants", new { tenantId, name = prefix }, Ct))
            {
                response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
            }

            var tenant = await Poll.UntilAsync(
                ct => service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}", ct),
                t => t.State() == "Provisioned",
                $"{tenantId} to be provisioned");
            return (tenantId, tenant.UserId()!);
        }

        public async ValueTask DisposeAsync()
        {
            if (_hub is not null)
            {
                await _hub.DisposeAsync();
            }

            Alloy.Dispose();
            Stranger.Dispose();
        }
    }
}

internal static class ConfiguredHubClients
{
    public static HttpClient CreateBearer(this ConfiguredHub hub, string token)
    {
        var client = hub.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
