using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.WebApi.FunctionalTests.Reliability;

public sealed class DatabaseTroubleTests
{
    [Fact]
    public async Task Signup_WhenTheDatabaseIsLocked_ShouldAnswer503ProblemWithinTheBusyTimeout()
    {
        // Arrange: another process holds the SQLite write lock.
        await using var hub = new ConfiguredHub(new Dictionary<string, string?>
        {
            ["Alloy:Sandbox"] = "true",
            ["Database:BusyTimeout"] = "00:00:01",
        });
        var service = hub.CreateClient(HubFactory.ServiceKey);
        await using var blocker = new SqliteConnection($"Data Source={hub.DatabasePath}");
        await blocker.OpenAsync(TestContext.Current.CancellationToken);
        await using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE;";
            await begin.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        // Act
        var clock = Stopwatch.StartNew();
        using var response = await service.PostAsJsonAsync("/api/tenants", new { tenantId = HubApi.NewTenantId("locked"), name = "Locked" });
        clock.Stop();

        // Assert
        var problem = await response.ReadProblemAsync(HttpStatusCode.ServiceUnavailable);
        problem.GetProperty("type").GetString().ShouldBe("/problems/unavailable");
        problem.GetProperty("detail").GetString()!.ShouldNotContain("Sqlite", Case.Insensitive);
        response.Headers.RetryAfter.ShouldNotBeNull();
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(15));

        // And after the lock is released, the same signup works.
        await using (var rollback = blocker.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        using var retried = await service.PostAsJsonAsync("/api/tenants", new { tenantId = HubApi.NewTenantId("unlocked"), name = "Unlocked" });
        retried.StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Shutdown_DuringAProvisioningAttempt_ShouldGiveTheLeaseBackWithoutSpendingTheAttempt()
    {
        // Arrange: Alloy answers slowly, so the attempt is in flight when the host stops.
        var hub = new ConfiguredHub(new Dictionary<string, string?> { ["Alloy:Sandbox"] = "true" }) { KeepDatabase = true };
        var databasePath = hub.DatabasePath;
        try
        {
            var service = hub.CreateClient(HubFactory.ServiceKey);
            await hub.Sandbox.SetFaultsAsync(new { latencyMs = 8000 });
            var tenantId = HubApi.NewTenantId("shutdown");
            (await service.PostAsJsonAsync("/api/tenants", new { tenantId, name = "Shutdown" })).Dispose();
            await Poll.UntilAsync(
                ct => service.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}", ct),
                t => t.GetProperty("alloy").GetProperty("state").GetString() == "Provisioning",
                $"tenant {tenantId} to be Provisioning");

            // Act
            await hub.DisposeAsync();

            // Assert
            await using var db = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=false");
            await db.OpenAsync(TestContext.Current.CancellationToken);
            await using var query = db.CreateCommand();
            query.CommandText = "SELECT State, Attempts, LastError FROM AlloyAccounts WHERE TenantId = $t";
            query.Parameters.AddWithValue("$t", tenantId);
            await using var reader = await query.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            (await reader.ReadAsync(TestContext.Current.CancellationToken)).ShouldBeTrue();
            reader.GetString(0).ShouldBe("Pending");
            reader.GetInt32(1).ShouldBe(0);
            reader.GetString(2).ShouldContain("shutdown");
        }
        finally
        {
            await hub.DisposeAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(databasePath)!, recursive: true);
        }
    }
}
