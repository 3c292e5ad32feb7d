using IntegrationHub.AlloySandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The standalone Alloy sandbox (the same app as <c>dotnet run --project src/AlloySandbox</c>) serving the API and the
/// modal pages at the root over HTTPS, with the certificate given through Kestrel's standard configuration, and over
/// plain HTTP for the hub's own calls. Chromium reaches the HTTPS port as app.runalloy.com and embedded.runalloy.com.
/// </summary>
public sealed class StandaloneSandbox : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StandaloneSandbox(WebApplication app)
    {
        _app = app;
        HttpsAddress = new Uri(app.Urls.Single(u => u.StartsWith("https://", StringComparison.Ordinal)));
        HttpAddress = new Uri(app.Urls.Single(u => u.StartsWith("http://", StringComparison.Ordinal)));
    }

    public Uri HttpsAddress { get; }

    public Uri HttpAddress { get; }

    public static async Task<StandaloneSandbox> StartAsync(TestCertificate certificate)
    {
        var app = SandboxProgram.CreateApplication(
            [
                "--urls=https://127.0.0.1:0;http://127.0.0.1:0",
                $"--Kestrel:Certificates:Default:Path={certificate.Path}",
                $"--Kestrel:Certificates:Default:Password={certificate.Password}",
            ],
            builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        await app.StartAsync();
        return new StandaloneSandbox(app);
    }

    public HttpClient CreateClient() => new() { BaseAddress = HttpAddress };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
