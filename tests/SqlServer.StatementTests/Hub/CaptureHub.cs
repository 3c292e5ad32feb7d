using System.Data.Common;
using IntegrationHub.Application;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Infrastructure;
using IntegrationHub.Infrastructure.Persistence;
using IntegrationHub.SqlServer.StatementTests.Capture;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.SqlServer.StatementTests.Hub;

/// <summary>
/// The hub's services exactly as production registers them for SQL Server (<c>AddApplication</c> and
/// <c>AddInfrastructure</c> with <c>Database:Provider=SqlServer</c>: the pooled <see cref="SqlServerHubDbContext"/>,
/// its interceptors, the retrying execution strategy, the Mediator pipeline with validation and transactions), except
/// that each connection the context creates is a <see cref="CaptureConnection"/>, and Alloy, outbound HTTP and the
/// job queue are replaced by fakes that always succeed. Nothing reaches a server.
/// </summary>
public sealed class CaptureHub : IDisposable
{
    private const string ConnectionString = "Server=capture.invalid;Database=IntegrationHub;User Id=capture;Password=capture;TrustServerCertificate=True";

    private readonly ServiceProvider _services;

    public CaptureHub()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "SqlServer",
                ["ConnectionStrings:Hub"] = ConnectionString,
                ["Hangfire:Storage"] = "InMemory",
                ["Hangfire:WorkerCount"] = "0",
                ["Alloy:ApiKey"] = "capture-key",
                ["Alloy:Environment"] = "Development",
            })
            .Build();

        using (var design = new SqlServerHubDbContext(new DbContextOptionsBuilder<SqlServerHubDbContext>().UseSqlServer(ConnectionString).Options))
        {
            Fabricator = new ResultFabricator(design.Model);
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Critical));
        services.AddApplication(configuration);
        services.AddInfrastructure(configuration, new CaptureEnvironment());
        services.ConfigureDbContext<SqlServerHubDbContext>((_, options) => options.AddInterceptors(new CaptureConnectionFactory(Log, Fabricator)));

        var webhooks = new AcceptingWebhookSender();
        services.Replace(ServiceDescriptor.Transient<IAlloyClient, PlausibleAlloyClient>());
        services.Replace(ServiceDescriptor.Singleton<IBackgroundJobs>(Jobs));
        services.Replace(ServiceDescriptor.Singleton<IWebhookSender>(webhooks));
        services.Replace(ServiceDescriptor.Singleton<IWebhookUrlPolicy>(webhooks));
        services.TryAddSingleton<ICurrentCaller, CaptureCaller>();
        _services = services.BuildServiceProvider();
    }

    public StatementLog Log { get; } = new();

    public ResultFabricator Fabricator { get; }

    internal CountingBackgroundJobs Jobs { get; } = new();

    public IServiceProvider Services => _services;

    /// <summary>A new scope labelled <paramref name="source"/>, with fresh fabrication (every query yields a row once).</summary>
    public AsyncServiceScope BeginFlow(string source, bool emptyDatabase = false)
    {
        Log.Source = source;
        Fabricator.BeginFlow(emptyDatabase);
        return _services.CreateAsyncScope();
    }

    public void Dispose() => _services.Dispose();

    /// <summary>Hands EF Core a <see cref="CaptureConnection"/> wherever it would create a SqlConnection.</summary>
    private sealed class CaptureConnectionFactory(StatementLog log, ResultFabricator fabricator) : DbConnectionInterceptor
    {
        public override InterceptionResult<DbConnection> ConnectionCreating(ConnectionCreatingEventData eventData, InterceptionResult<DbConnection> result) =>
            InterceptionResult<DbConnection>.SuppressWithResult(new CaptureConnection(log, fabricator));
    }
}
