using IntegrationHub.AlloySandbox;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The real hub on a loopback Kestrel port, in Development (so /demo and /dev/jwt exist), on a SQLite file and
/// in-memory Hangfire, pointed at the standalone sandbox as its Alloy (<c>Alloy:BaseUrl</c>, the sandbox's
/// development key) instead of mounting one: the browser reaches the same sandbox as Alloy's hosts. Its webhooks may
/// reach loopback (<c>Webhooks:AllowPrivateNetworks</c>) and retry once, quickly.
/// </summary>
public sealed class EndToEndHub(Uri alloyBaseUrl) : WebApplicationFactory<Program>
{
    public const string ServiceKey = "dev-service-key";
    public const string AdminKey = "dev-admin-key";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hub-e2e-" + Guid.NewGuid().ToString("N"));

    public Uri Address { get; private set; } = null!;

    public void Start()
    {
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(address.Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal));
    }

    public HttpClient CreateClient(string apiKey)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_folder);
        builder.UseEnvironment("Development");
        foreach (var (key, value) in new Dictionary<string, string?>
        {
            ["ConnectionStrings:Hub"] = $"Data Source={Path.Combine(_folder, "hub.db")}",
            ["Alloy:Sandbox"] = "false",
            ["Alloy:BaseUrl"] = alloyBaseUrl.ToString(),
            ["Alloy:ApiKey"] = SandboxDefaults.DevelopmentKey,
            ["Hangfire:SchedulePollingInterval"] = "00:00:00.500",
            ["Provisioning:BaseDelay"] = "00:00:00.200",
            ["Provisioning:MaxDelay"] = "00:00:02",
            ["Serilog:ConsoleMinimumLevel"] = "Warning",

            // The webhooks page's test delivers to a receiver on 127.0.0.1, with one quick retry.
            ["Webhooks:AllowPrivateNetworks"] = "true",
            ["Webhooks:RetrySchedule"] = "00:00:00.300",
        })
        {
            builder.UseSetting(key, value);
        }
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
            // SQLite may hold the file a moment longer; it is a temp folder.
        }
    }
}
