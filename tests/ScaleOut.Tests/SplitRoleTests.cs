using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Scenarios;

namespace IntegrationHub.ScaleOut.Tests;

/// <summary>
/// The scale-out split, proven with real processes on one SQLite file: an API-only hub (<c>Hangfire:WorkerCount=0</c>)
/// takes signups, a worker hub (<c>Hub:Role=Worker</c>) provisions them.
///
/// Each process here has in-memory Hangfire storage, so the two share no job queue: the jobs the API enqueues stay
/// stranded in its own memory. The worker still provisions every tenant, because the database row, not the job, is
/// the record of intent (ADR 4): its reconciler finds the due accounts, once at start and then on its schedule. With
/// SQL Server job storage (docker-compose.yml) the worker also receives the API's jobs directly; the reconciler is
/// the same safety net.
/// </summary>
public sealed class SplitRoleTests : IDisposable
{
    private const string ServiceKey = "dev-service-key";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hub-scaleout-" + Guid.NewGuid().ToString("N"));

    public SplitRoleTests() => Directory.CreateDirectory(_folder);

    [Fact]
    public async Task ApiOnlyAndWorker_WhenTenantsSignUpThroughTheApi_ShouldBeProvisionedByTheWorker()
    {
        // Arrange: the schema first, as docker-compose's one-shot migrate service does; then the API-only process,
        // which also serves the Alloy sandbox for both.
        var ct = TestContext.Current.CancellationToken;
        var shared = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__Hub"] = $"Data Source={Path.Combine(_folder, "hub.db")}",
            ["Database__MigrateOnStartup"] = "false",
            ["Serilog__MinimumLevel__Default"] = "Information",
        };
        await using (var migrate = HubProcess.StartCommand("migrate", shared, "migrate"))
        {
            (await migrate.WaitForExitAsync(TimeSpan.FromMinutes(2), ct)).ShouldBe(0, migrate.Output);
        }

        await using var api = HubProcess.StartHub("api", With(shared, new()
        {
            ["Hangfire__WorkerCount"] = "0",
            ["Alloy__Sandbox"] = "true",
        }));
        await api.WaitUntilHealthyAsync("/health/ready", cancellationToken: ct);
        using var service = api.CreateClient(ServiceKey);
        using var sandbox = new SandboxClient(api.CreateClient(), SandboxClient.MountedRoot);

        // Act 1: tenants sign up while no worker exists anywhere.
        var early = await SignUpAsync(service, "early", 5, ct);

        // Assert 1: accepted, still Pending, their provisioning stranded in the API's own job store, which has no server
        // (the five signups asked for drains of every due account: one queued run at least, not one job each).
        foreach (var tenantId in early)
        {
            HubScenarios.StateOf(await HubScenarios.GetTenantAsync(service, tenantId, ct)).ShouldBe("Pending");
        }

        var jobs = await JobStorageAsync(api, ct);
        jobs.GetProperty("servers").GetInt64().ShouldBe(0);
        jobs.GetProperty("enqueued").GetInt64().ShouldBeInRange(1, early.Count);

        // Act 2: a worker process starts on the same database, pointed at the API's sandbox; then more tenants sign up
        // while it runs (its reconciler runs every 2 s here, every minute by default).
        await using var worker = HubProcess.StartHub("worker", With(shared, new()
        {
            ["Hub__Role"] = "Worker",
            ["Hangfire__WorkerCount"] = "4",
            ["Hangfire__ReconcilerCron"] = "*/2 * * * * *",
            ["Hangfire__SchedulePollingInterval"] = "00:00:00.500",
            ["Alloy__Sandbox"] = "false",
            ["Alloy__BaseUrl"] = new Uri(api.BaseAddress!, "sandbox/alloy/").ToString(),
            ["Alloy__ApiKey"] = "sandbox-development-key",
        }));
        await worker.WaitUntilHealthyAsync("/health/ready", cancellationToken: ct);
        var late = await SignUpAsync(service, "late", 5, ct);

        // Assert 2: every tenant provisioned exactly once, by the worker (the API runs no jobs), found by its reconciler.
        foreach (var tenantId in early.Concat(late))
        {
            var tenant = await HubScenarios.WaitForStateAsync(service, tenantId, "Provisioned", ct, TimeSpan.FromSeconds(60));
            var users = await sandbox.UsersAsync(tenantId, cancellationToken: ct);
            users.Count.ShouldBe(1, $"Alloy users of {tenantId}");
            users[0].UserId.ShouldBe(HubScenarios.UserIdOf(tenant));
        }

        (await JobStorageAsync(api, ct)).GetProperty("servers").GetInt64().ShouldBe(0);
        worker.Output.ShouldContain("Reconciler enqueued");

        // The worker serves health, not the API.
        using var workerClient = worker.CreateClient(ServiceKey);
        using var notServed = await workerClient.GetAsync($"/api/tenants/{early[0]}", ct);
        notServed.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await JobStorageAsync(worker, ct)).GetProperty("servers").GetInt64().ShouldBeGreaterThanOrEqualTo(1);
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

    private static async Task<List<string>> SignUpAsync(HttpClient service, string prefix, int count, CancellationToken ct)
    {
        var ids = Enumerable.Range(0, count).Select(_ => HubScenarios.NewTenantId(prefix)).ToList();
        foreach (var id in ids)
        {
            using var response = await HubScenarios.SignUpAsync(service, id, $"Tenant {id}", ct);
            response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(ct));
        }

        return ids;
    }

    /// <summary>The job-storage readiness check's data: servers, enqueued, scheduled, processing, failed.</summary>
    private static async Task<JsonElement> JobStorageAsync(HubProcess hub, CancellationToken ct)
    {
        using var client = hub.CreateClient();
        var ready = await client.GetFromJsonAsync<JsonElement>("/health/ready", ct);
        return ready.GetProperty("checks").GetProperty("job-storage").GetProperty("data");
    }

    private static Dictionary<string, string?> With(Dictionary<string, string?> shared, Dictionary<string, string?> own)
    {
        var all = new Dictionary<string, string?>(shared);
        foreach (var (key, value) in own)
        {
            all[key] = value;
        }

        return all;
    }
}
