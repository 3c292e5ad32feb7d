using IntegrationHub.AlloySandbox.Contracts;
using IntegrationHub.AlloySandbox.Http;

namespace IntegrationHub.AlloySandbox;

/// <summary>
/// The standalone sandbox: <c>dotnet run --project src/AlloySandbox --urls http://127.0.0.1:PORT</c> serves the
/// Alloy API at the root. Configuration comes from the command line, environment variables
/// (<c>AlloySandbox__StateFile</c>, …) and defaults.
/// </summary>
public sealed class SandboxProgram
{
    private SandboxProgram()
    {
    }

    public static async Task Main(string[] args)
    {
        // The container's health probe (the runtime image has no curl): GET / on this container's port, 2xx → 0.
        if (args is [var command, ..] && string.Equals(command, "healthcheck", StringComparison.OrdinalIgnoreCase))
        {
            Environment.ExitCode = await ProbeAsync(args.Length > 1 ? args[1] : "/");
            return;
        }

        var app = CreateApplication(args);
        await app.RunAsync();
    }

    /// <summary>Builds the standalone app; <paramref name="configure"/> runs before the sandbox is registered (tests use it).</summary>
    internal static WebApplication CreateApplication(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(SandboxProgram).Assembly.GetName().Name,
        });
        configure?.Invoke(builder);

        // Per-request framework logs would drown the sandbox's own and cost throughput in benchmarks;
        // Logging__LogLevel__Microsoft.AspNetCore=Information brings them back.
        if (builder.Configuration["Logging:LogLevel:Microsoft.AspNetCore"] is null)
        {
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        }

        builder.Services.AddAlloySandbox(builder.Configuration);

        var app = builder.Build();
        app.MapGet("/", Hello);
        app.MapAlloySandbox();
        return app;
    }

    private static async Task<int> ProbeAsync(string path)
    {
        var port = (Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS") ?? "8080").Split([';', ','])[0].Trim();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}{(path.StartsWith('/') ? path : "/" + path)}"));
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"No answer on port {port}: {ex.Message}");
            return 1;
        }
    }

    private static IResult Hello() => SandboxResults.Ok(new HelloResponse(
        "Alloy sandbox",
        "A local stand-in for the Alloy Embedded API. Authenticate with Authorization: Bearer <key>; version with /{YYYY-MM}/... or the x-api-version header.",
        [nameof(SandboxEnvironment.Development), nameof(SandboxEnvironment.Production)],
        "/_sandbox"));
}
