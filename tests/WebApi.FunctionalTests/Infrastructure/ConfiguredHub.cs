using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace IntegrationHub.WebApi.FunctionalTests.Infrastructure;

/// <summary>
/// A hub of its own for tests that need settings the shared one must not have (low rate limits, rotated keys,
/// another Alloy environment, an OIDC authority). Its configuration can be changed while it runs, through a
/// reloadable source, as an operator's configuration store or mounted secret would.
/// </summary>
public sealed class ConfiguredHub(IDictionary<string, string?> settings, string environment = "Development", bool start = true, Action<IServiceCollection>? services = null)
    : ConfiguredHub<Program>(settings, environment, start, services);

/// <summary>
/// <see cref="ConfiguredHub"/> for another entry point that runs the hub (the benchmark host in bench/), with the
/// hub's content root (its appsettings files) and, optionally, services of the test's own (e.g. a fault to inject).
/// </summary>
public class ConfiguredHub<TEntryPoint> : WebApplicationFactory<TEntryPoint>
    where TEntryPoint : class
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hub-configured-" + Guid.NewGuid().ToString("N"));
    private readonly ReloadableConfiguration _configuration = new();
    private readonly string _environment;
    private readonly Action<IServiceCollection>? _services;

    public ConfiguredHub(IDictionary<string, string?> settings, string environment = "Development", bool start = true, Action<IServiceCollection>? services = null)
    {
        _environment = environment;
        _services = services;
        Directory.CreateDirectory(_folder);
        _configuration.Set("ConnectionStrings:Hub", $"Data Source={Path.Combine(_folder, "hub.db")}");
        _configuration.Set("Hangfire:SchedulePollingInterval", "00:00:00.500");
        _configuration.Set("Provisioning:BaseDelay", "00:00:00.200");
        _configuration.Set("Provisioning:MaxDelay", "00:00:02");
        _configuration.Set("AlloySandbox:Webhooks:InstallationUrl", ""); // off unless a test turns it on (see HubFactory)
        _configuration.Set("Serilog:MinimumLevel:Default", "Verbose");
        _configuration.Set("Serilog:MinimumLevel:Override:Microsoft", "Verbose");
        _configuration.Set("Serilog:MinimumLevel:Override:System.Net.Http.HttpClient", "Verbose");
        _configuration.Set("Serilog:ConsoleMinimumLevel", "Warning");
        // A null value removes a default set above: the hub then sees the key as unset.
        foreach (var (key, value) in settings)
        {
            _configuration.SetOrRemove(key, value);
        }

        if (start)
        {
            UseKestrel(0);
            StartServer();
        }
    }

    public CapturingSink LogSink { get; } = new();

    public string DatabasePath => Path.Combine(_folder, "hub.db");

    /// <summary>Keep the database after disposal (to inspect what a stopped hub left behind); the test deletes it.</summary>
    public bool KeepDatabase { get; init; }

    /// <summary>Changes settings and reloads configuration, as a changed secret or settings file would.</summary>
    public void Reconfigure(IDictionary<string, string?> settings)
    {
        foreach (var (key, value) in settings)
        {
            _configuration.Set(key, value);
        }

        _configuration.Reload();
    }

    public HttpClient CreateClient(string apiKey)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    public SandboxClient Sandbox => new(CreateClient(), SandboxClient.MountedRoot);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        builder.UseContentRoot(Path.Combine(IntegrationHub.Scenarios.BuildOutput.RepositoryRoot, "src", "WebApi"));

        // Settings read while services are registered must be host settings: with minimal hosting, sources added in
        // ConfigureAppConfiguration only arrive when the host is built. The reloadable source (added last, so it
        // wins) carries the same values and every later change.
        foreach (var (key, value) in _configuration.Snapshot())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration(config => config.Add(_configuration));
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<ILogEventSink>(LogSink);
            _services?.Invoke(services);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        if (KeepDatabase)
        {
            return;
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Temp folder; SQLite may hold the file a moment longer.
        }
    }

    private sealed class ReloadableConfiguration : ConfigurationProvider, IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

        public new void Set(string key, string? value) => Data[key] = value;

        public void SetOrRemove(string key, string? value)
        {
            if (value is null)
            {
                Data.Remove(key);
            }
            else
            {
                Data[key] = value;
            }
        }

        public void Reload() => OnReload();

        public IReadOnlyList<KeyValuePair<string, string?>> Snapshot() => Data.ToList();
    }
}
