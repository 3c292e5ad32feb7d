using System.Net;
using System.Text;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;

namespace IntegrationHub.WebApi.FunctionalTests.Platform;

/// <summary>The request log records the status the client got, at a level that matches it.</summary>
public sealed class RequestLogTests(HubFactory hub)
{
    [Fact]
    public async Task RequestLog_WhenTheJsonBodyIsMalformed_ShouldRecord400AtMostAsWarningWithoutAStackTrace()
    {
        // Arrange
        var service = hub.CreateServiceClient();
        var mark = hub.LogSink.Count;
        const string RequestLogEntry = "HTTP \"POST\" \"/api/tenants\" responded";

        // Act
        using var response = await service.PostAsync("/api/tenants", new StringContent("{\"tenantId\": ", Encoding.UTF8, "application/json"));

        // Assert
        await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        var events = await Poll.UntilAsync(
            () => Task.FromResult(hub.LogSink.Since(mark)),
            e => e.Any(x => x.Contains(RequestLogEntry, StringComparison.Ordinal)),
            because: "the request log's entry");
        var logged = events.Where(x => x.Contains(RequestLogEntry, StringComparison.Ordinal)).ShouldHaveSingleItem();
        logged.ShouldContain("responded 400");
        (logged.StartsWith("Information ", StringComparison.Ordinal) || logged.StartsWith("Warning ", StringComparison.Ordinal)).ShouldBeTrue(logged);
        logged.ShouldNotContain("JsonException");
        events.ShouldNotContain(x => x.StartsWith("Error ", StringComparison.Ordinal) || x.StartsWith("Fatal ", StringComparison.Ordinal));
    }
}
