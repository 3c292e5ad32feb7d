using System.Globalization;
using System.Net;
using System.Text.Json;
using IntegrationHub.Scenarios;

namespace IntegrationHub.ScaleOut.Tests;

/// <summary>
/// A hub configured for SQL Server (database and Hangfire's job storage) whose server does not answer at start: the
/// process keeps running, is alive, and is not ready, saying why. (That it recovers once the database is back is
/// proven on SQLite by <c>DatabaseDownAtStartTests</c>; no SQL Server runs here.)
/// </summary>
public sealed class SqlServerDownAtStartTests
{
    [Fact]
    public async Task Start_WhenSqlServerDoesNotAnswer_ShouldKeepRunningAliveButNotReady()
    {
        // Arrange: nothing listens on this loopback port.
        var ct = TestContext.Current.CancellationToken;
        var port = HubProcess.FreePort().ToString(CultureInfo.InvariantCulture);
        await using var hub = HubProcess.StartHub("sqlserver-down", new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Alloy__Sandbox"] = "true",
            ["Database__Provider"] = "SqlServer",
            ["Hangfire__Storage"] = "SqlServer",
            ["ConnectionStrings__Hub"] = $"Server=127.0.0.1,{port};Database=IntegrationHub;User Id=sa;Password=unused-Passw0rd;TrustServerCertificate=True;Connect Timeout=2",
            ["Database__StartupRetryInterval"] = "00:00:01",
        });

        // Act
        await hub.WaitUntilHealthyAsync("/health/live", TimeSpan.FromMinutes(3), ct);
        using var client = hub.CreateClient();
        var ready = await Poll.UntilAsync(
            async token =>
            {
                using var response = await client.GetAsync("/health/ready", token);
                return (response.StatusCode, Body: JsonDocument.Parse(await response.Content.ReadAsStringAsync(token)).RootElement.Clone());
            },
            r => r.Body.GetProperty("checks").GetProperty("database").GetProperty("description").GetString()!.StartsWith("Database unavailable at start", StringComparison.Ordinal),
            "/health/ready to report the database unavailable at start",
            TimeSpan.FromMinutes(2),
            cancellationToken: ct);

        // Assert
        TestContext.Current.TestOutputHelper?.WriteLine(ready.Body.GetRawText());
        ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        ready.Body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString().ShouldBe("Unhealthy");
        hub.HasExited.ShouldBeFalse(hub.Output);
    }
}
