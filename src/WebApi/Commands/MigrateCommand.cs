using IntegrationHub.Infrastructure.Jobs;
using IntegrationHub.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.WebApi.Commands;

/// <summary>
/// <c>dotnet IntegrationHub.WebApi.dll migrate</c>: applies the EF Core migrations of the configured provider (and,
/// with SQL Server job storage, creates or upgrades Hangfire's <c>hangfire</c> schema), then exits: 0 when the
/// database is up to date, 1 with the reason otherwise. Runs no web server, job server or hosted service, and needs
/// only the database settings (<c>Database:Provider</c>, <c>ConnectionStrings:Hub</c>, <c>Hangfire:Storage</c>).
/// </summary>
public static class MigrateCommand
{
    public const string Name = "migrate";

    public static bool IsRequested(string[] args) => args.Length > 0 && string.Equals(args[0], Name, StringComparison.OrdinalIgnoreCase);

    public static async Task<int> RunAsync(IServiceProvider services)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("IntegrationHub.Migrate");
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        var provider = services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider;
        try
        {
            await services.GetRequiredService<DatabaseInitializer>().InitializeAsync(cancellation.Token, force: true);

            string? last;
            int applied;
            await using (var scope = services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
                var migrations = (await db.Database.GetAppliedMigrationsAsync(cancellation.Token)).ToList();
                applied = migrations.Count;
                last = migrations.LastOrDefault();
            }

            // With SQL Server job storage the initializer has installed Hangfire's schema as well.
            var hangfire = services.GetRequiredService<IOptions<HangfireOptions>>().Value;

            var summary = $"{provider} database is up to date: {applied} migration(s) applied, the last {last ?? "none"}"
                + (hangfire.Storage == JobStorageKind.SqlServer ? $"; Hangfire schema '{HangfireSchema.Name}' installed." : ".");
            logger.LogInformation("migrate: {Summary:l}", summary);
            Console.WriteLine("migrate: " + summary);
            return 0;
        }
        catch (Exception ex)
        {
            // The message names what failed (connection, permission, a migration); never the connection string.
            logger.LogError(ex, "migrate: the {Provider} database could not be migrated", provider);
            await Console.Error.WriteLineAsync($"migrate: failed to migrate the {provider} database: {ex.GetType().Name}: {ex.Message}");
            return 1;
        }
    }
}
