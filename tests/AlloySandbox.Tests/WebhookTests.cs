using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntegrationHub.AlloySandbox.Tests.Support;
using IntegrationHub.AlloySandbox.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using static IntegrationHub.AlloySandbox.Tests.Support.SandboxAssertions;
using static IntegrationHub.TestSupport.SandboxClient;

namespace IntegrationHub.AlloySandbox.Tests;

/// <summary>
/// The sandbox as Alloy's outbound side (docs/alloy-api.md, section 7 and assumption 13): error webhooks with the five X-Alloy-*
/// headers and X-Alloy-Signature, the hex RSA PKCS#1 v1.5 SHA-256 signature over METHOD + URL + BODY.
/// </summary>
public sealed class WebhookTests
{
    private const string ReceiverUrl = "https://hub.example.test/api/webhooks/alloy/errors";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EmitError_WhenAUrlIsGiven_ShouldPostAlloysErrorRecordWithTheIdentifierHeaders()
    {
        // Arrange
        var receiver = new Receiver(HttpStatusCode.Accepted);
        await using var host = await StartAsync(receiver);

        // Act
        using var response = await host.Client.PostAsync("_sandbox/webhooks/errors", new
        {
            userId = "6323d7c9122ae69742a5d0a2",
            workflowId = "65f1a0c2e4b0a1b2c3d4e601",
            blockName = "Create Order",
            blockType = "shopify",
            executionId = "66aa00112233445566778899",
            error = "Shopify answered 401",
            url = ReceiverUrl,
        });

        // Assert
        var answer = await ReadJsonAsync(response, HttpStatusCode.OK);
        answer.GetProperty("statusCode").GetInt32().ShouldBe(202);
        answer.GetProperty("executionId").GetString().ShouldBe("66aa00112233445566778899");
        var delivery = receiver.Single();
        delivery.Method.ShouldBe("POST");
        delivery.Url.ShouldBe(ReceiverUrl);
        delivery.ContentType.ShouldBe("application/json");
        delivery.Headers["X-Alloy-UserId"].ShouldBe("6323d7c9122ae69742a5d0a2");
        delivery.Headers["X-Alloy-WorkflowId"].ShouldBe("65f1a0c2e4b0a1b2c3d4e601");
        delivery.Headers["X-Alloy-BlockName"].ShouldBe("Create Order");
        delivery.Headers["X-Alloy-BlockType"].ShouldBe("shopify");
        delivery.Headers["X-Alloy-ExecutionUuid"].ShouldBe("66aa00112233445566778899");
        using var body = JsonDocument.Parse(delivery.Body);
        var record = body.RootElement;
        record.GetProperty("_id").GetString()!.ShouldMatch("^[0-9a-f]{24}$");
        record.GetProperty("workflowId").GetString().ShouldBe("65f1a0c2e4b0a1b2c3d4e601");
        record.GetProperty("executionId").GetString().ShouldBe("66aa00112233445566778899");
        Guid.TryParse(record.GetProperty("blockId").GetString(), out _).ShouldBeTrue();
        record.GetProperty("blockType").GetString().ShouldBe("shopify");
        record.GetProperty("error").GetString().ShouldBe("Shopify answered 401");
        record.GetProperty("createdAt").GetString()!.ShouldMatch(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$");
        record.GetProperty("updatedAt").GetString().ShouldBe(record.GetProperty("createdAt").GetString());
    }

    [Fact]
    public async Task EmitError_WhenSigning_ShouldSendHexRsaSha256OverMethodUrlAndBodyVerifiableWithThePublishedKey()
    {
        // Arrange
        var receiver = new Receiver(HttpStatusCode.OK);
        await using var host = await StartAsync(receiver);
        using var published = RSA.Create();
        published.ImportFromPem(await host.Client.Http.GetStringAsync("_sandbox/webhooks/public-key", Ct));

        // Act
        using var response = await host.Client.PostAsync("_sandbox/webhooks/errors", new { userId = "u1", url = ReceiverUrl });

        // Assert
        await ReadJsonAsync(response, HttpStatusCode.OK);
        var delivery = receiver.Single();
        var signatureHex = delivery.Headers["X-Alloy-Signature"];
        signatureHex.ShouldMatch("^[0-9a-f]{512}$"); // lowercase hex of a 2048-bit signature
        var signature = Convert.FromHexString(signatureHex);
        Verify(published, signature, "POST", ReceiverUrl, delivery.Body).ShouldBeTrue();
        Verify(published, signature, "PUT", ReceiverUrl, delivery.Body).ShouldBeFalse();
        Verify(published, signature, "POST", ReceiverUrl + "?x=1", delivery.Body).ShouldBeFalse();
        Verify(published, signature, "POST", ReceiverUrl, [.. delivery.Body, (byte)' ']).ShouldBeFalse();
    }

    [Fact]
    public async Task EmitError_WhenAPrivateKeyIsConfigured_ShouldSignWithItAndPublishItsPublicHalf()
    {
        // Arrange
        using var key = RSA.Create(3072);
        var receiver = new Receiver(HttpStatusCode.OK);
        await using var host = await StartAsync(receiver, new Dictionary<string, string?>
        {
            ["AlloySandbox:Webhooks:PrivateKeyPem"] = key.ExportPkcs8PrivateKeyPem(),
        });

        // Act
        var publicKey = await host.Client.Http.GetStringAsync("_sandbox/webhooks/public-key", Ct);
        using var response = await host.Client.PostAsync("_sandbox/webhooks/errors", new { userId = "u1", url = ReceiverUrl });

        // Assert
        await ReadJsonAsync(response, HttpStatusCode.OK);
        publicKey.Trim().ShouldBe(key.ExportSubjectPublicKeyInfoPem().Trim());
        var delivery = receiver.Single();
        Verify(key, Convert.FromHexString(delivery.Headers["X-Alloy-Signature"]), "POST", ReceiverUrl, delivery.Body).ShouldBeTrue();
    }

    [Fact]
    public async Task EmitError_WhenOnlyAUserIsGiven_ShouldUseTheConfiguredUrlAndRealisticDefaults()
    {
        // Arrange: a path-only URL resolves against the host the control request came to (the hub, when mounted).
        var receiver = new Receiver(HttpStatusCode.Accepted);
        await using var host = await StartAsync(receiver, new Dictionary<string, string?>
        {
            ["AlloySandbox:Webhooks:ErrorUrl"] = "/api/webhooks/alloy/errors",
        });

        // Act
        using var first = await host.Client.PostAsync("_sandbox/webhooks/errors", new { userId = "u1" });
        using var second = await host.Client.PostAsync("_sandbox/webhooks/errors", new { userId = "u1" });

        // Assert
        (await ReadJsonAsync(first, HttpStatusCode.OK)).GetProperty("url").GetString().ShouldBe("http://localhost/api/webhooks/alloy/errors");
        await ReadJsonAsync(second, HttpStatusCode.OK);
        var deliveries = receiver.All();
        deliveries.Count.ShouldBe(2);
        deliveries[0].Url.ShouldBe("http://localhost/api/webhooks/alloy/errors");
        deliveries[0].Headers["X-Alloy-ExecutionUuid"].ShouldMatch("^[0-9a-f]{24}$");
        deliveries[0].Headers["X-Alloy-WorkflowId"].ShouldMatch("^[0-9a-f]{24}$");
        deliveries[0].Headers["X-Alloy-BlockName"].ShouldBe(ErrorWebhookEmitter.DefaultBlockName);
        deliveries[0].Headers["X-Alloy-ExecutionUuid"].ShouldNotBe(deliveries[1].Headers["X-Alloy-ExecutionUuid"]);
        using var body = JsonDocument.Parse(deliveries[0].Body);
        body.RootElement.GetProperty("error").GetString().ShouldBe(ErrorWebhookEmitter.DefaultError);
        body.RootElement.GetProperty("executionId").GetString().ShouldBe(deliveries[0].Headers["X-Alloy-ExecutionUuid"]);
    }

    [Theory]
    [InlineData("{}", "userId is required")]
    [InlineData("{\"userId\":\"u1\"}", "url is required (or configure AlloySandbox:Webhooks:ErrorUrl)")]
    [InlineData("{\"userId\":\"u1\",\"url\":\"ftp://x/y\"}", "url must be an absolute http(s) URL or a path starting with '/'")]
    public async Task EmitError_WhenTheRequestIsIncomplete_ShouldAnswer400AndSendNothing(string body, string message)
    {
        // Arrange
        var receiver = new Receiver(HttpStatusCode.OK);
        await using var host = await StartAsync(receiver);

        // Act
        using var response = await host.Client.SendAsync(HttpMethod.Post, "_sandbox/webhooks/errors", rawBody: body);

        // Assert
        await ShouldBeErrorAsync(response, HttpStatusCode.BadRequest, message);
        receiver.All().ShouldBeEmpty();
    }

    [Fact]
    public async Task EmitError_WhenTheReceiverIsUnreachable_ShouldAnswer502()
    {
        // Arrange
        await using var host = await StartAsync(new Receiver(HttpStatusCode.OK, fail: true));

        // Act
        using var response = await host.Client.PostAsync("_sandbox/webhooks/errors", new { userId = "u1", url = ReceiverUrl });

        // Assert
        await ShouldBeErrorAsync(response, HttpStatusCode.BadGateway);
    }

    private static bool Verify(RSA key, byte[] signature, string method, string url, byte[] body) =>
        WebhookSignatures.Verify(key, signature, method, url, body);

    private static Task<SandboxHost> StartAsync(Receiver receiver, IDictionary<string, string?>? configuration = null) =>
        SandboxHost.StartMountedAsync(configuration, services => services
            .AddHttpClient(ErrorWebhookEmitter.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new CapturingHandler(receiver)));
}
