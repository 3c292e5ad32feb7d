using System.Net;
using System.Net.Http.Json;
using System.Text;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.OutboundWebhooks;

/// <summary>Bad input on every webhook-endpoint route is a 400 problem; a well-formed id nobody has is a 404 problem.</summary>
public sealed class OutboundWebhookValidationTests(HubFactory hub)
{
    private const string UnknownEndpoint = "ep_000000000000000000000000";
    private const string UnknownMessage = "msg_000000000000000000000000";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string?> BadRequests() => new()
    {
        { "POST", "/api/admin/webhook-endpoints", """{"url":""}""" },
        { "POST", "/api/admin/webhook-endpoints", """{"description":"no url"}""" },
        { "POST", "/api/admin/webhook-endpoints", """{"url":"ftp://hooks.example.com/in"}""" },
        { "POST", "/api/admin/webhook-endpoints", """{"url":"not a url"}""" },
        { "POST", "/api/admin/webhook-endpoints", """{"url":"https://user:password@hooks.example.com/in"}""" },
        { "POST", "/api/admin/webhook-endpoints", """{"url":"https://hooks.example.com/in","eventTypes":["tenant.nope"]}""" },
        { "POST", "/api/admin/webhook-endpoints", "{\"url\":\"https://hooks.example.com/in\",\"description\":\"" + new string('d', 501) + "\"}" },
        { "POST", "/api/admin/webhook-endpoints", """{"url":""" },
        { "GET", "/api/admin/webhook-endpoints/not-an-id", null },
        { "PATCH", "/api/admin/webhook-endpoints/not-an-id", """{"enabled":true}""" },
        { "PATCH", $"/api/admin/webhook-endpoints/{UnknownEndpoint}", """{"eventTypes":["installation.exploded"]}""" },
        { "PATCH", $"/api/admin/webhook-endpoints/{UnknownEndpoint}", """{"url":""}""" },
        { "PATCH", $"/api/admin/webhook-endpoints/{UnknownEndpoint}", """{"url":"http://10.1.2.3/in"}""" },
        { "PATCH", $"/api/admin/webhook-endpoints/{UnknownEndpoint}", """{"enabled":"maybe"}""" },
        { "DELETE", "/api/admin/webhook-endpoints/ep_has-dash", null },
        { "POST", "/api/admin/webhook-endpoints/nope/rotate-secret", null },
        { "GET", "/api/admin/webhook-endpoints/nope/deliveries", null },
        { "GET", $"/api/admin/webhook-endpoints/{UnknownEndpoint}/deliveries?status=Exploded", null },
        { "GET", $"/api/admin/webhook-endpoints/{UnknownEndpoint}/deliveries?limit=0", null },
        { "GET", $"/api/admin/webhook-endpoints/{UnknownEndpoint}/deliveries?cursor=not-a-cursor!", null },
        { "POST", $"/api/admin/webhook-endpoints/{UnknownEndpoint}/replay", null },
        { "POST", $"/api/admin/webhook-endpoints/{UnknownEndpoint}/replay?since=yesterday", null },
        { "POST", "/api/admin/webhook-endpoints/nope/replay?since=2026-01-01T00:00:00Z", null },
        { "POST", "/api/admin/webhook-messages/not-a-message/replay", null },
    };

    public static TheoryData<string, string, string?> UnknownIds() => new()
    {
        { "GET", $"/api/admin/webhook-endpoints/{UnknownEndpoint}", null },
        { "PATCH", $"/api/admin/webhook-endpoints/{UnknownEndpoint}", """{"enabled":false}""" },
        { "DELETE", $"/api/admin/webhook-endpoints/{UnknownEndpoint}", null },
        { "POST", $"/api/admin/webhook-endpoints/{UnknownEndpoint}/rotate-secret", null },
        { "GET", $"/api/admin/webhook-endpoints/{UnknownEndpoint}/deliveries", null },
        { "POST", $"/api/admin/webhook-endpoints/{UnknownEndpoint}/replay?since=2026-01-01T00:00:00Z", null },
        { "POST", $"/api/admin/webhook-messages/{UnknownMessage}/replay", null },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Route_WhenTheInputIsInvalid_ShouldAnswer400Problem(string method, string path, string? body)
    {
        // Act
        using var response = await SendAsync(method, path, body);

        // Assert
        await response.ReadProblemAsync(HttpStatusCode.BadRequest);
    }

    [Theory]
    [MemberData(nameof(UnknownIds))]
    public async Task Route_WhenTheIdIsWellFormedButUnknown_ShouldAnswer404Problem(string method, string path, string? body)
    {
        // Act
        using var response = await SendAsync(method, path, body);

        // Assert
        var problem = await response.ReadProblemAsync(HttpStatusCode.NotFound);
        problem.GetProperty("type").GetString().ShouldStartWith("/problems/webhook-");
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string? body)
    {
        using var admin = hub.CreateAdminClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"),
        };
        return await admin.SendAsync(request, Ct);
    }
}
