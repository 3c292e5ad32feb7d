using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Infrastructure.Persistence;
using IntegrationHub.WebApi.FunctionalTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.WebApi.FunctionalTests.Provisioning;

/// <summary>
/// A measurement, run on request only (<c>--filter-class "*BatchProvisioningThroughputTests"</c> with explicit tests
/// enabled): 2,000 signups in a burst against an Alloy answering in 50 ms, with batching on and off, each run ending
/// with every tenant provisioned once. The times go to the test output; on a shared machine they are noisy.
/// </summary>
public sealed class BatchProvisioningThroughputTests
{
    private const int Signups = 2000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory(Explicit = true)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Burst_WhenAlloyTakes50Ms_ShouldProvisionEveryTenantOnceAndReportTheTime(bool batching)
    {
        // Arrange
        await using var hub = new ConfiguredHub(new Dictionary<string, string?>
        {
            ["Alloy:Sandbox"] = "true",
            ["Provisioning:BatchEnabled"] = batching ? "true" : "false",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Serilog:MinimumLevel:Override:Microsoft"] = "Warning",
            ["Serilog:MinimumLevel:Override:System.Net.Http.HttpClient"] = "Warning",
        });
        using var sandbox = hub.Sandbox;
        using var service = hub.CreateClient(HubFactory.ServiceKey);
        await sandbox.SetFaultsAsync(new { latencyMs = 50 }, Ct);
        var prefix = batching ? "tp-on" : "tp-off";
        var tenantIds = Enumerable.Range(0, Signups).Select(_ => HubApi.NewTenantId(prefix)).ToList();
        var clock = Stopwatch.StartNew();

        // Act
        await Parallel.ForEachAsync(tenantIds, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = Ct }, async (id, ct) =>
        {
            using var response = await service.PostAsJsonAsync("/api/tenants", new { tenantId = id, name = id }, ct);
            response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        });
        var signedUp = clock.Elapsed;
        await Poll.UntilAsync(ProvisionedAsync, count => count == Signups, $"all {Signups} tenants to be provisioned", TimeSpan.FromMinutes(10), TimeSpan.FromMilliseconds(250));
        var provisioned = clock.Elapsed;

        // Assert
        var stats = await sandbox.StatsAsync(Ct);
        (await sandbox.UsersAsync(prefix, Ct)).Count.ShouldBe(Signups);
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"batching {(batching ? "on" : "off")}: {Signups} signups in {signedUp.TotalSeconds:F1} s, all provisioned after {provisioned.TotalSeconds:F1} s " +
            $"({Signups / provisioned.TotalSeconds:F0}/s overall, {(provisioned - signedUp).TotalSeconds:F1} s after the last signup); " +
            $"POST /users {stats.CallsTo("POST /users")}, POST /users/batch {stats.CallsTo("POST /users/batch")}, " +
            $"GET /users {stats.CallsTo("GET /users")}, GET /users/{{uid}} {stats.CallsTo("GET /users/{uid}")}"));

        async Task<int> ProvisionedAsync(CancellationToken ct)
        {
            await using var scope = hub.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<HubDbContext>().AlloyAccounts.AsNoTracking()
                .CountAsync(a => a.State == ProvisioningState.Provisioned, ct);
        }
    }
}
