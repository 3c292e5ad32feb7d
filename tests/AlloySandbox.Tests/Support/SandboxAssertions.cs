using System.Net;
using System.Text.Json;

namespace IntegrationHub.AlloySandbox.Tests.Support;

/// <summary>What the sandbox's own tests assert about every answer: the status, JSON, and Alloy's error shape.</summary>
public static class SandboxAssertions
{
    /// <summary>Asserts the status (showing the body when it differs) and parses the JSON body.</summary>
    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(expected, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json", text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts an Alloy-style error: the status and a body that is exactly <c>{"message": expected}</c>.</summary>
    public static async Task ShouldBeErrorAsync(HttpResponseMessage response, HttpStatusCode status, string? message = null)
    {
        var json = await ReadJsonAsync(response, status);
        json.ValueKind.ShouldBe(JsonValueKind.Object);
        var actual = json.GetProperty("message").GetString();
        actual.ShouldNotBeNullOrWhiteSpace();
        if (message is not null)
        {
            actual.ShouldBe(message);
        }
    }
}
