using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntegrationHub.Scenarios;

namespace IntegrationHub.ScaleOut.Tests;

/// <summary>
/// What containers and operators run besides the server: <c>migrate</c> (exit 0/1 with a clear message),
/// <c>healthcheck</c> (the Dockerfiles' probe, hub and sandbox), and Production's console logs (JSON with trace ids).
/// </summary>
public sealed class HostingCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hub-commands-" + Guid.NewGuid().ToString("N"));

    public HostingCommandTests() => Directory.CreateDirectory(_folder);

    [Fact]
    public async Task Migrate_WhenRunTwiceOnANewDatabase_ShouldApplyEveryMigrationThenChangeNothingAndExit0()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Hub"] = $"Data Source={Path.Combine(_folder, "new", "hub.db")}",
        };

        // Act
        await using var first = HubProcess.StartCommand("migrate-1", environment, "migrate");
        var firstExit = await first.WaitForExitAsync(TimeSpan.FromMinutes(2), ct);
        await using var second = HubProcess.StartCommand("migrate-2", environment, "migrate");
        var secondExit = await second.WaitForExitAsync(TimeSpan.FromMinutes(2), ct);

        // Assert
        firstExit.ShouldBe(0, first.Output);
        first.Output.ShouldContain("Applying");
        first.Output.ShouldContain("migrate: Sqlite database is up to date");
        secondExit.ShouldBe(0, second.Output);
        second.Output.ShouldNotContain("Applying");
        second.Output.ShouldContain("migrate: Sqlite database is up to date");
        File.Exists(Path.Combine(_folder, "new", "hub.db")).ShouldBeTrue();
    }

    [Fact]
    public async Task Migrate_WhenTheDatabaseCannotBeCreated_ShouldExit1AndSayWhy()
    {
        // Arrange: a database path under a regular file cannot exist.
        var ct = TestContext.Current.CancellationToken;
        var blocker = Path.Combine(_folder, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "x", ct);
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Hub"] = $"Data Source={Path.Combine(blocker, "hub.db")}",
        };

        // Act
        await using var migrate = HubProcess.StartCommand("migrate-bad", environment, "migrate");
        var exit = await migrate.WaitForExitAsync(TimeSpan.FromMinutes(2), ct);

        // Assert
        exit.ShouldBe(1, migrate.Output);
        migrate.Output.ShouldContain("migrate: failed to migrate the Sqlite database");
    }

    [Fact]
    public async Task HealthCheck_WhenTheHubAnswers_ShouldExit0_AndWhenNothingListens_ShouldExit1()
    {
        // Arrange
        var ct = TestContext.Current.CancellationToken;
        await using var hub = HubProcess.StartHub("hub", new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__Hub"] = $"Data Source={Path.Combine(_folder, "health.db")}",
            ["Alloy__Sandbox"] = "true",
        });
        await hub.WaitUntilHealthyAsync(cancellationToken: ct);
        var port = hub.BaseAddress!.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // Act: as the Dockerfile's HEALTHCHECK runs it (port from ASPNETCORE_HTTP_PORTS), and against a dead port.
        await using var healthy = HubProcess.StartCommand("probe", new Dictionary<string, string?> { ["ASPNETCORE_HTTP_PORTS"] = port }, "healthcheck");
        var healthyExit = await healthy.WaitForExitAsync(TimeSpan.FromSeconds(30), ct);
        await using var ready = HubProcess.StartCommand("probe-ready", new Dictionary<string, string?> { ["ASPNETCORE_HTTP_PORTS"] = port }, "healthcheck", "/health/ready");
        var readyExit = await ready.WaitForExitAsync(TimeSpan.FromSeconds(30), ct);
        await using var dead = HubProcess.StartCommand(
            "probe-dead", new Dictionary<string, string?> { ["ASPNETCORE_HTTP_PORTS"] = HubProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture) }, "healthcheck");
        var deadExit = await dead.WaitForExitAsync(TimeSpan.FromSeconds(30), ct);

        // Assert
        healthyExit.ShouldBe(0, healthy.Output);
        healthy.Output.ShouldContain("/health/live: 200");
        readyExit.ShouldBe(0, ready.Output);
        deadExit.ShouldBe(1, dead.Output);
        dead.Output.ShouldContain("no answer");
    }

    [Fact]
    public async Task SandboxHealthCheck_WhenTheSandboxAnswers_ShouldExit0()
    {
        // Arrange: the standalone sandbox, as docker-compose's sandbox service runs it.
        var ct = TestContext.Current.CancellationToken;
        await using var sandbox = HubProcess.StartSandbox("sandbox", new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = "Production" });
        await sandbox.WaitUntilHealthyAsync("/", cancellationToken: ct);
        var port = sandbox.BaseAddress!.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // Act
        await using var probe = HubProcess.StartSandboxCommand("probe", new Dictionary<string, string?> { ["ASPNETCORE_HTTP_PORTS"] = port }, "healthcheck");
        var exit = await probe.WaitForExitAsync(TimeSpan.FromSeconds(30), ct);

        // Assert
        exit.ShouldBe(0, probe.Output);
    }

    [Fact]
    public async Task ProductionLogs_WhenARequestCarriesATraceparent_ShouldBeJsonLinesWithItsTraceAndSpanIds()
    {
        // Arrange: a Production hub with the configuration Production demands (no sandbox, no development keys).
        var ct = TestContext.Current.CancellationToken;
        const string serviceKey = "production-test-service-key";
        await using var hub = HubProcess.StartHub("production", new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Hub"] = $"Data Source={Path.Combine(_folder, "production.db")}",
            ["Hangfire__WorkerCount"] = "0",
            ["Alloy__ApiKey"] = "not-used-by-this-test",
            ["Alloy__BaseUrl"] = "http://127.0.0.1:9/",
            ["Auth__ServiceKeys__0__Name"] = "backend",
            ["Auth__ServiceKeys__0__Sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(serviceKey))),
            ["Auth__ServiceKeys__0__Roles__0"] = "service",
            ["Auth__Jwt__Issuer"] = "https://idp.example.test",
            ["Auth__Jwt__Audience"] = "integration-hub",
            ["Auth__Jwt__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        });
        await hub.WaitUntilHealthyAsync(cancellationToken: ct);
        var traceId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        using var client = hub.CreateClient(serviceKey);

        // Act
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/tenants/no-such-tenant");
        request.Headers.Add("traceparent", $"00-{traceId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}-01");
        using var response = await client.SendAsync(request, ct);
        var line = await Poll.UntilAsync(
            () => Task.FromResult(hub.OutputLines.FirstOrDefault(l => l.Contains(traceId, StringComparison.Ordinal) && l.Contains("/api/tenants/no-such-tenant", StringComparison.Ordinal))),
            l => l is not null, "the request's log line", TimeSpan.FromSeconds(10), cancellationToken: ct);

        // Assert: one JSON object per line (Serilog's compact format) carrying @tr (trace id) and @sp (span id).
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
        var json = JsonDocument.Parse(line!).RootElement;
        json.GetProperty("@tr").GetString().ShouldBe(traceId);
        json.GetProperty("@sp").GetString()!.Length.ShouldBe(16);
        json.GetProperty("@m").GetString().ShouldNotBeNullOrWhiteSpace();
        hub.OutputLines.Where(l => l.StartsWith('{')).Count().ShouldBeGreaterThan(1);
        hub.Output.ShouldNotContain(serviceKey);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Temp folder.
        }
    }
}
