using IntegrationHub.Scenarios;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IntegrationHub.SqlServer.IntegrationTests.Infrastructure;

/// <summary>
/// The real WebApi on a real Kestrel port, on SQL Server: EF Core's SQL Server provider with its retrying execution
/// strategy, migrations applied at start, Hangfire.SqlServer in schema <c>hangfire</c> of the same database, and the
/// Alloy sandbox mounted in process (Development keys, as the SQLite functional suite uses).
/// </summary>
public sealed class SqlServerHub(string connectionString) : WebApplicationFactory<Program>, IHubUnderTest
{
    public const string ServiceKey = "dev-service-key";
    public const string AdminKey = "dev-admin-key";

    public SandboxClient Sandbox => new(CreateClient(), SandboxClient.MountedRoot);

    IServiceProvider IHubUnderTest.Services => Services;

    public HttpClient CreateServiceClient() => WithApiKey(ServiceKey);

    public HttpClient CreateAdminClient() => WithApiKey(AdminKey);

    public async Task StartAsync()
    {
        UseKestrel(0);
        StartServer();
        using var client = CreateClient();
        await Poll.UntilAsync(
            async ct =>
            {
                using var response = await client.GetAsync("/health/ready", ct);
                return response.StatusCode;
            },
            status => status == System.Net.HttpStatusCode.OK,
            "the SQL Server hub to be ready",
            TimeSpan.FromSeconds(60));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        // Host settings: Program reads these while it registers services (see the functional tests' HubFactory).
        foreach (var (key, value) in new Dictionary<string, string?>
        {
            ["Database:Provider"] = "SqlServer",
            ["ConnectionStrings:Hub"] = connectionString,
            ["Hangfire:Storage"] = "SqlServer",
            ["Hangfire:SchedulePollingInterval"] = "00:00:00.500",
            ["Alloy:Sandbox"] = "true",
            ["Provisioning:BaseDelay"] = "00:00:00.200",
            ["Provisioning:MaxDelay"] = "00:00:02",
            ["Provisioning:InlineWait"] = "00:00:10",
            ["Serilog:ConsoleMinimumLevel"] = "Warning",
        })
        {
            builder.UseSetting(key, value);
        }
    }

    private HttpClient WithApiKey(string key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }
}
