using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace IntegrationHub.WebApi;

public static class HostingExtensions
{
    /// <summary>Serilog, configured once: levels from configuration, JSON in Production, text elsewhere, written asynchronously.</summary>
    public static IServiceCollection AddHubLogging(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddSerilog((sp, lc) =>
        {
            lc.ReadFrom.Configuration(configuration)
                .ReadFrom.Services(sp)
                .Enrich.FromLogContext()
                .Enrich.With<Infrastructure.RedactSecretsEnricher>();
            // The console may be quieter than the pipeline (other sinks, e.g. a test's capture, see everything).
            // Written on a background thread (a request never waits for the console), blocking rather than dropping
            // when 10,000 events are waiting; flushed when the host stops. See docs/adr/0012-performance.md.
            var consoleLevel = configuration.GetValue("Serilog:ConsoleMinimumLevel", LogEventLevel.Verbose);
            var production = environment.IsProduction();
            lc.WriteTo.Async(
                console =>
                {
                    if (production)
                    {
                        console.Console(new RenderedCompactJsonFormatter(), restrictedToMinimumLevel: consoleLevel);
                    }
                    else
                    {
                        console.Console(
                            outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}",
                            restrictedToMinimumLevel: consoleLevel,
                            formatProvider: System.Globalization.CultureInfo.InvariantCulture);
                    }
                },
                bufferSize: 10_000,
                blockWhenFull: true);
        });
        return services;
    }

    /// <summary>Configured origins only; by default none (the hub's own pages are same-origin).</summary>
    public static IServiceCollection AddHubCors(this IServiceCollection services, IConfiguration configuration)
    {
        var origins = configuration.GetSection("Cors:Origins").Get<string[]>() ?? [];
        services.AddCors(o => o.AddDefaultPolicy(p =>
        {
            if (origins.Length > 0)
            {
                p.WithOrigins(origins).WithMethods("GET", "POST", "DELETE").WithHeaders("Authorization", "Content-Type").SetPreflightMaxAge(TimeSpan.FromMinutes(10));
            }
        }));
        return services;
    }
}
