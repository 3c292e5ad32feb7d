using Hangfire;
using Hangfire.SqlServer;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Options;
using IntegrationHub.Infrastructure.Alloy;
using IntegrationHub.Infrastructure.Audit;
using IntegrationHub.Infrastructure.Health;
using IntegrationHub.Infrastructure.Hosting;
using IntegrationHub.Infrastructure.Jobs;
using IntegrationHub.Infrastructure.OutboundWebhooks;
using IntegrationHub.Infrastructure.Persistence;
using IntegrationHub.Infrastructure.Tokens;
using IntegrationHub.Infrastructure.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Refit;

namespace IntegrationHub.Infrastructure;

public static class DependencyInjection
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.TryAddSingleton(TimeProvider.System);
        AddPersistence(services, configuration, environment);
        services.AddAuditLog(configuration);
        services.AddAlloyWebhooks(configuration);
        AddAlloy(services);
        AddJobs(services, configuration);
        services.AddOutboundWebhooks();

        services.AddOptions<TokenOptions>().Bind(configuration.GetSection(TokenOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IModalTokenIssuer, ModalTokenIssuer>();
        services.AddHybridCache();

        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag])
            .AddCheck<JobStorageHealthCheck>("job-storage", tags: [ReadyTag])
            .AddCheck<AlloyKeyHealthCheck>("alloy-key", tags: [ReadyTag]);
        return services;
    }

    private static void AddPersistence(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var options = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        var connectionString = configuration.GetConnectionString("Hub");
        services.AddSingleton<AfterCommitInterceptor>();
        services.AddSingleton<SqlitePragmaInterceptor>();
        services.AddSingleton<AccountCacheInterceptor>();
        services.AddSingleton<WebhookDeliveryInterceptor>();

        if (options.Provider == DatabaseProvider.SqlServer)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException("Database:Provider is SqlServer but ConnectionStrings:Hub is not set.");
            }

            services.AddDbContextPool<SqlServerHubDbContext>((sp, o) => o
                .UseSqlServer(connectionString, sql => sql.EnableRetryOnFailure(maxRetryCount: 5))
                .AddInterceptors(
                    sp.GetRequiredService<AfterCommitInterceptor>(),
                    sp.GetRequiredService<AccountCacheInterceptor>(),
                    sp.GetRequiredService<WebhookDeliveryInterceptor>()));
            services.AddScoped<HubDbContext>(sp => sp.GetRequiredService<SqlServerHubDbContext>());
        }
        else
        {
            connectionString ??= $"Data Source={Path.Combine(environment.ContentRootPath, "data", "integrationhub.db")}";
            // Pooled: a request rents a reset context instead of building one (a measurable share of a signup's
            // time, see bench/). The contexts hold no state of their own; AfterCommitInterceptor drops whatever an
            // abandoned transaction left queued when the next one starts.
            services.AddDbContextPool<SqliteHubDbContext>((sp, o) => o
                .UseSqlite(connectionString, sqlite => sqlite.CommandTimeout(Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds))))
                .AddInterceptors(
                    sp.GetRequiredService<AfterCommitInterceptor>(),
                    sp.GetRequiredService<SqlitePragmaInterceptor>(),
                    sp.GetRequiredService<AccountCacheInterceptor>(),
                    sp.GetRequiredService<WebhookDeliveryInterceptor>()));
            services.AddScoped<HubDbContext>(sp => sp.GetRequiredService<SqliteHubDbContext>());
        }

        services.AddScoped<IApplicationDbContext>(sp => sp.GetRequiredService<HubDbContext>());
        services.AddScoped<IntegrationHub.Application.Tenants.SignUpTenant.ISignupRows, SignupRows>();
        services.AddSingleton<DatabaseInitializer>();
        services.AddSingleton<DatabaseReadiness>();
        services.AddHostedService<DatabaseInitializerHostedService>();
        services.AddSingleton<SqliteStatistics>();
        services.AddSingleton<IQueryPlannerStatistics>(sp => sp.GetRequiredService<SqliteStatistics>());
        services.AddHostedService(sp => sp.GetRequiredService<SqliteStatistics>()); // after the initializer: hosted services start in order
    }

    private static void AddAlloy(IServiceCollection services)
    {
        // The Alloy section itself is bound (and validated) by AddApplication: HubAlloyOptions.
        services.AddSingleton<AlloyKeyState>();
        services.AddSingleton<IAlloyKeyStatus>(sp => sp.GetRequiredService<AlloyKeyState>());
        services.TryAddSingleton<IAlloyEndpoint, ConfiguredAlloyEndpoint>();
        services.AddTransient<AlloyAuthHandler>();
        services.AddTransient<AlloyMetricsHandler>();

        var client = services.AddRefitGeneratedClient<IAlloyApi>(AlloyJsonContext.Default)
            .ConfigureHttpClient((sp, client) =>
            {
                client.BaseAddress = sp.GetRequiredService<IAlloyEndpoint>().BaseAddress;
                client.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline owns timeouts
            });

        // Resilience outside, authentication inside: every retry re-reads the current key. The numbers are
        // Alloy:Resilience (read when the pipeline is built, at the first call).
        client.AddStandardResilienceHandler()
            .Configure((o, sp) => AlloyResilience.Apply(sp.GetRequiredService<IOptions<HubAlloyOptions>>().Value.Resilience, o));
        client.AddHttpMessageHandler<AlloyAuthHandler>();
        client.AddHttpMessageHandler<AlloyMetricsHandler>(); // innermost: one measurement per request on the wire

        // HttpClient's trace logging prints request headers: never the values (the Alloy key is one of them).
        services.ConfigureHttpClientDefaults(http => http.RedactLoggedHeaders(_ => true));

        services.AddSingleton<InstallationListingCoalescer>();
        services.AddTransient<IAlloyClient, AlloyClient>();
    }

    private static void AddJobs(IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(HangfireOptions.SectionName).Get<HangfireOptions>() ?? new HangfireOptions();
        services.AddOptions<HangfireOptions>().Bind(configuration.GetSection(HangfireOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        var connectionString = configuration.GetConnectionString("Hub");
        var database = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (options.Storage == JobStorageKind.SqlServer && database.Provider != DatabaseProvider.SqlServer)
        {
            throw new InvalidOperationException(
                "Hangfire:Storage is SqlServer but Database:Provider is not: Hangfire's SQL Server storage lives in the hub's SQL Server database " +
                "(schema hangfire). Set Database:Provider=SqlServer, or Hangfire:Storage=InMemory.");
        }

        services.AddHangfire(config =>
        {
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            if (options.Storage == JobStorageKind.SqlServer)
            {
                config.UseSqlServerStorage(connectionString, new SqlServerStorageOptions
                {
                    SchemaName = HangfireSchema.Name,
                    SqlClientFactory = Microsoft.Data.SqlClient.SqlClientFactory.Instance,
                    PrepareSchemaIfNecessary = options.PrepareSchemaIfNecessary,
                    QueuePollInterval = TimeSpan.Zero,
                    SlidingInvisibilityTimeout = TimeSpan.FromMinutes(5),
                });
            }
            else
            {
                config.UseInMemoryStorage(new Hangfire.InMemory.InMemoryStorageOptions { MaxExpirationTime = options.InMemoryJobExpiration });
            }
        });

        // Api-only processes (Hub:Role=Api or Hangfire:WorkerCount=0) enqueue jobs but run none, and leave the recurring
        // jobs and the start-up reconciler to the processes that do: the database row is the record of intent (ADR 4).
        var runsJobs = HubRoles.RunsJobs(HubRoles.Read(configuration), options);
        if (runsJobs)
        {
            services.AddHangfireServer(server =>
            {
                if (options.WorkerCount is { } count)
                {
                    server.WorkerCount = count;
                }

                server.SchedulePollingInterval = options.SchedulePollingInterval
                    ?? (options.Storage == JobStorageKind.InMemory ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(5));
            });
        }

        services.AddSingleton<ProvisioningDrain>();
        services.AddScoped<IBackgroundJobs, HangfireBackgroundJobs>();
        if (runsJobs)
        {
            services.AddHostedService<StartupReconciler>();
        }
    }
}
