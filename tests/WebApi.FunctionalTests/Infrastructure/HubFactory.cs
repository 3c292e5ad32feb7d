using IntegrationHub.AlloySandbox;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace IntegrationHub.WebApi.FunctionalTests.Infrastructure;

/// <summary>
/// The real WebApi on its embedded default: a SQLite file migrated at start, in-memory Hangfire with workers,
/// the in-process Alloy sandbox under /sandbox/alloy, and the development keys of appsettings.Development.json.
/// </summary>
public sealed class HubFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string ServiceKey = "dev-service-key";
    public const string AdminKey = "dev-admin-key";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hub-functional-" + Guid.NewGuid().ToString("N"));

    /// <summary>Every log event of this hub (all levels), for the tests that inspect what it logs.</summary>
    public CapturingSink LogSink { get; } = new();

    public string DatabasePath => Path.Combine(_folder, "hub.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_folder);
        builder.UseEnvironment("Development");
        // Host settings, not ConfigureAppConfiguration: with minimal hosting only these are visible while Program
        // registers services (the connection string, the sandbox switch, Hangfire's options).
        foreach (var (key, value) in new Dictionary<string, string?>
        {
            ["ConnectionStrings:Hub"] = $"Data Source={DatabasePath}",
            ["Alloy:Sandbox"] = "true",
            ["Hangfire:SchedulePollingInterval"] = "00:00:00.500",
            ["Provisioning:BaseDelay"] = "00:00:00.200",
            ["Provisioning:MaxDelay"] = "00:00:02",
            ["Provisioning:InlineWait"] = "00:00:10",
            // The embedded sandbox would announce each installation to the hub (the dotnet-run default); tests that
            // assert what a refresh or the sync records opt in only where they mean to (Webhooks/AlloyInstallationWebhookTests).
            ["AlloySandbox:Webhooks:InstallationUrl"] = "",
            // Every level reaches the capturing sink; the console stays readable.
            ["Serilog:MinimumLevel:Default"] = "Verbose",
            ["Serilog:MinimumLevel:Override:Microsoft"] = "Verbose",
            ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Verbose",
            ["Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore"] = "Verbose",
            ["Serilog:MinimumLevel:Override:System.Net.Http.HttpClient"] = "Verbose",
            ["Serilog:MinimumLevel:Override:Polly"] = "Verbose",
            ["Serilog:MinimumLevel:Override:Hangfire"] = "Verbose",
            ["Serilog:ConsoleMinimumLevel"] = "Warning",
        })
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => services.AddSingleton<ILogEventSink>(LogSink));
    }

    public HttpClient CreateServiceClient() => WithHeader("X-Api-Key", ServiceKey);

    public HttpClient CreateAdminClient() => WithHeader("X-Api-Key", AdminKey);

    public HttpClient CreateAnonymousClient() => CreateClient();

    public HttpClient CreateMemberClient(string tenantId) => CreateBearerClient(TestJwt.ForMember(tenantId));

    public HttpClient CreateBearerClient(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public SandboxClient Sandbox => new(CreateClient(), SandboxClient.MountedRoot);

    private HttpClient WithHeader(string name, string value)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(name, value);
        return client;
    }

    public async ValueTask InitializeAsync()
    {
        // A real Kestrel on a loopback port: the hub reaches its mounted sandbox over HTTP exactly as the embedded
        // default does on a user's machine. Starting it runs migrations and the job server before the first test.
        UseKestrel(0);
        StartServer();
        using var client = CreateClient();
        using var response = await client.GetAsync("/health/live");
        response.EnsureSuccessStatusCode();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the temp folder is disposable.
        }
    }

    public static string SandboxKey => SandboxDefaults.DevelopmentKey;
}
