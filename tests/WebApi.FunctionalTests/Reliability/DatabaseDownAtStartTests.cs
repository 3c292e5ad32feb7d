using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace IntegrationHub.WebApi.FunctionalTests.Reliability;

/// <summary>
/// The hub starts while its database is unavailable, reports not ready with the reason, initializes the database in
/// the background once it can, and then serves as usual (jobs registered, start-up reconciler run).
/// </summary>
public sealed class DatabaseDownAtStartTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hub-db-down-" + Guid.NewGuid().ToString("N"));

    public DatabaseDownAtStartTests() => Directory.CreateDirectory(_folder);

    [Fact]
    public async Task Start_WhenTheDatabaseIsUnavailable_ShouldServeNotReadyThenRecoverAndProvision()
    {
        // Arrange: the SQLite file's folder cannot be created, because a file stands where a folder of its path must be
        // (as a volume not mounted yet, or a server not up yet: the database cannot be opened).
        var blocker = Path.Combine(_folder, "volume");
        await File.WriteAllTextAsync(blocker, "not a folder", TestContext.Current.CancellationToken);
        var databasePath = Path.Combine(blocker, "data", "hub.db");

        // Act: the host starts (it would throw here if start-up stopped it).
        await using var hub = new ConfiguredHub(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Hub"] = $"Data Source={databasePath}",
            ["Alloy:Sandbox"] = "true",
            ["Database:StartupRetryInterval"] = "00:00:00.200",
        });
        using var anonymous = hub.CreateClient();
        using var live = await anonymous.GetAsync("/health/live", TestContext.Current.CancellationToken);
        var notReady = await ReadyAsync(anonymous);
        var service = hub.CreateClient(HubFactory.ServiceKey);
        using var early = await service.PostAsJsonAsync("/api/tenants", new { tenantId = HubApi.NewTenantId("db-down"), name = "Early Ltd" }, TestContext.Current.CancellationToken);

        // Assert: alive, not ready, and the readiness report says why.
        live.StatusCode.ShouldBe(HttpStatusCode.OK);
        notReady.Status.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var database = notReady.Body.GetProperty("checks").GetProperty("database");
        database.GetProperty("status").GetString().ShouldBe("Unhealthy");
        database.GetProperty("description").GetString()!.ShouldStartWith("Database unavailable at start (DirectoryNotFoundException); retrying every");
        (await early.ReadProblemAsync(HttpStatusCode.ServiceUnavailable)).GetProperty("type").GetString().ShouldBe("/problems/unavailable");

        // Act: the database becomes available (the folder can now be created).
        File.Delete(blocker);
        var ready = await Poll.UntilAsync(() => ReadyAsync(anonymous), r => r.Status == HttpStatusCode.OK, "/health/ready to answer 200 after the database came back");

        // Assert: ready, migrated, and a signup is provisioned by the job server (the recurring jobs are registered too).
        ready.Body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString().ShouldBe("Healthy");
        File.Exists(databasePath).ShouldBeTrue();
        var tenantId = HubApi.NewTenantId("db-back");
        using var signup = await service.PostAsJsonAsync("/api/tenants", new { tenantId, name = "Back Ltd" }, TestContext.Current.CancellationToken);
        signup.StatusCode.ShouldBe(HttpStatusCode.Accepted, await signup.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        await Poll.UntilAsync(
            async () => (await service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}", TestContext.Current.CancellationToken)).State(),
            state => state == "Provisioned",
            $"tenant {tenantId} to be Provisioned");
        await Poll.UntilAsync(
            () => hub.LogSink.Since(0).Any(e => e.StartsWith("Information Database initialized at attempt", StringComparison.Ordinal)),
            "the hub to log that the database was initialized after a retry");
    }

    [Fact]
    public async Task Start_WhenTheDatabaseComesBackUnusable_ShouldStopTheHost()
    {
        // Arrange: unavailable at start, as above.
        var blocker = Path.Combine(_folder, "volume");
        await File.WriteAllTextAsync(blocker, "not a folder", TestContext.Current.CancellationToken);
        var databasePath = Path.Combine(blocker, "data", "hub.db");
        await using var hub = new ConfiguredHub(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Hub"] = $"Data Source={databasePath}",
            ["Alloy:Sandbox"] = "true",
            ["Database:StartupRetryInterval"] = "00:00:00.200",
        });
        var stopping = hub.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;

        // Act: the folder appears, holding a file that is not a database: retrying cannot fix that.
        File.Delete(blocker);
        Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);
        await File.WriteAllTextAsync(databasePath, new string('x', 4096), TestContext.Current.CancellationToken);

        // Assert: the hub stops, as it does when the same failure happens at start, and says why.
        await Poll.UntilAsync(() => stopping.IsCancellationRequested, "the hub to stop after its database initialization failed");
        hub.LogSink.Since(0).ShouldContain(e => e.StartsWith("Fatal Database initialization failed after the database became available", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Temp folder; SQLite may hold the file a moment longer.
        }
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadyAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return (response.StatusCode, body);
    }
}
