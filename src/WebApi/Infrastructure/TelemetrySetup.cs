using System.Reflection;
using IntegrationHub.Application.Common.Telemetry;
using IntegrationHub.Infrastructure.Hosting;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace IntegrationHub.WebApi.Infrastructure;

/// <summary>
/// OpenTelemetry traces (ASP.NET Core, HttpClient, EF Core) and metrics (the same plus the hub's own meter and the
/// runtime's), exported over OTLP, and only when an endpoint is configured: <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (the
/// standard variables, protocol and headers included) or <c>OpenTelemetry:OtlpEndpoint</c> with
/// <c>OpenTelemetry:OtlpProtocol</c> (<c>Grpc</c>, the default, or <c>HttpProtobuf</c>). Without one nothing is
/// registered and the instruments cost next to nothing. Logs stay with Serilog (JSON on the console in Production,
/// with trace and span ids).
/// </summary>
public static class TelemetrySetup
{
    public const string EndpointKey = "OpenTelemetry:OtlpEndpoint";
    public const string ProtocolKey = "OpenTelemetry:OtlpProtocol";
    public const string StandardEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddHubTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var standard = configuration[StandardEndpointKey];
        var own = configuration[EndpointKey];
        if (string.IsNullOrWhiteSpace(standard) && string.IsNullOrWhiteSpace(own))
        {
            return services;
        }

        var role = HubRoles.Read(configuration);
        var version = typeof(TelemetrySetup).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var builder = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(
                    serviceName: configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : "integrationhub",
                    serviceVersion: version,
                    serviceInstanceId: Environment.MachineName)
                .AddAttributes([new("integrationhub.role", role.ToString())]))
            .WithTracing(tracing => tracing
                // Docker and load-balancer probes would drown the traces that matter.
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase))
                .AddHttpClientInstrumentation()
                .AddEntityFrameworkCoreInstrumentation())
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter("System.Runtime")
                .AddMeter(HubMetrics.MeterName));

        if (!string.IsNullOrWhiteSpace(standard))
        {
            // The SDK reads OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL, _HEADERS and the per-signal variants itself.
            builder.UseOtlpExporter();
        }
        else
        {
            var protocol = configuration.GetValue(ProtocolKey, OtlpExportProtocol.Grpc);
            builder.UseOtlpExporter(protocol, new Uri(own!, UriKind.Absolute));
        }

        return services;
    }
}
