using Hangfire;
using IntegrationHub.Infrastructure.Alloy;
using IntegrationHub.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IntegrationHub.Infrastructure.Health;

public sealed class DatabaseHealthCheck(HubDbContext db, DatabaseReadiness readiness) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // Reachable is not enough before the start-up work is done (a SQLite file without its tables yet).
        if (readiness.Reason is { } reason)
        {
            return HealthCheckResult.Unhealthy(reason);
        }

        try
        {
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy($"{(db.Database.IsSqlite() ? "SQLite" : "SQL Server")} reachable")
                : HealthCheckResult.Unhealthy("Database unreachable");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"Database unreachable ({ex.GetType().Name})");
        }
    }
}

public sealed class JobStorageHealthCheck(JobStorage storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var stats = storage.GetMonitoringApi().GetStatistics();
            var data = new Dictionary<string, object>
            {
                ["servers"] = stats.Servers,
                ["enqueued"] = stats.Enqueued,
                ["scheduled"] = stats.Scheduled,
                ["processing"] = stats.Processing,
                ["failed"] = stats.Failed,
            };
            return Task.FromResult(HealthCheckResult.Healthy($"{storage.GetType().Name} reachable", data));
        }
        catch (Exception ex)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"Job storage unreachable ({ex.GetType().Name})"));
        }
    }
}

public sealed class AlloyKeyHealthCheck(AlloyKeyState keyState) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["usingSecondaryKey"] = keyState.UsingSecondary };
        if (keyState.ChangedAt is { } since)
        {
            data["since"] = since;
        }

        return Task.FromResult(keyState.Rejected
            ? HealthCheckResult.Unhealthy("Alloy API key rejected", data: data)
            : HealthCheckResult.Healthy("Alloy API key not rejected", data));
    }
}
