using IntegrationHub.AlloySandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.AlloySandbox.Tests.Support;

/// <summary>A sandbox on a TestServer: mounted under a prefix in a host app (the hub's way), or the standalone app at the root.</summary>
public sealed class SandboxHost : IAsyncDisposable
{
    public const string Prefix = "/sandbox/alloy";

    private readonly WebApplication _app;

    private SandboxHost(WebApplication app, string basePath)
        : this(app, WithBase(app.GetTestClient(), basePath))
    {
    }

    private SandboxHost(WebApplication app, HttpClient http)
    {
        _app = app;
        Client = new SandboxClient(http);
    }

    public SandboxClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The sandbox inside a host app, at <see cref="Prefix"/> (the hub's way).</summary>
    public static async Task<SandboxHost> StartMountedAsync(
        IDictionary<string, string?>? configuration = null,
        Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(configuration ?? new Dictionary<string, string?>());
        services?.Invoke(builder.Services);
        builder.Services.AddAlloySandbox(builder.Configuration);

        var app = builder.Build();
        app.MapGroup(Prefix).MapAlloySandbox();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new SandboxHost(app, Prefix);
    }

    /// <summary>
    /// The sandbox inside a host app on a real Kestrel port on loopback, at <see cref="Prefix"/>: for what a TestServer
    /// cannot show, such as a connection aborted mid-answer reaching the client as a transport failure.
    /// </summary>
    public static async Task<SandboxHost> StartOnKestrelAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddAlloySandbox(builder.Configuration);

        var app = builder.Build();
        app.MapGroup(Prefix).MapAlloySandbox();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SandboxHost(app, new HttpClient { BaseAddress = new Uri(address.TrimEnd('/') + Prefix + "/") });
    }

    /// <summary>The standalone program's app, served at the root.</summary>
    public static async Task<SandboxHost> StartStandaloneAsync(IDictionary<string, string?>? configuration = null)
    {
        var app = SandboxProgram.CreateApplication([], builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(configuration ?? new Dictionary<string, string?>());
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new SandboxHost(app, "/");
    }

    private static HttpClient WithBase(HttpClient http, string basePath)
    {
        http.BaseAddress = new Uri("http://localhost" + basePath.TrimEnd('/') + "/");
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
