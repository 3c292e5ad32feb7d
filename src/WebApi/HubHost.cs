using System.Text.Json.Serialization;
using IntegrationHub.Application;
using IntegrationHub.Infrastructure;
using IntegrationHub.Infrastructure.Hosting;
using IntegrationHub.WebApi.Auth;
using IntegrationHub.WebApi.Commands;
using IntegrationHub.WebApi.Endpoints;
using IntegrationHub.WebApi.Errors;
using IntegrationHub.WebApi.Infrastructure;
using IntegrationHub.WebApi.Pages;
using IntegrationHub.WebApi.Sandbox;
using IntegrationHub.WebApi.Webhooks;
using Scalar.AspNetCore;
using Serilog;

namespace IntegrationHub.WebApi;

/// <summary>
/// The hub's composition: services, pipeline and endpoints, for every role and command. <c>Program</c> runs it as it
/// is; the benchmark host (bench/) runs the very same hub and adds its baselines through <c>mapApi</c>, so nothing
/// that exists only for measuring is part of this assembly (docs/adr/0013-test-doubles-out-of-the-release.md).
/// </summary>
public static class HubHost
{
    /// <summary>Runs the hub until it stops; returns the process exit code.</summary>
    /// <param name="args">The command line (<c>migrate</c>, <c>healthcheck [path]</c>, or configuration).</param>
    /// <param name="mapApi">Extra endpoints of an embedding host, mapped beside the API (not in the Worker role).</param>
    public static async Task<int> RunAsync(string[] args, Action<WebApplication>? mapApi = null)
    {
        // The container's health probe: the runtime image has no curl (Dockerfile HEALTHCHECK).
        if (HealthProbeCommand.IsRequested(args))
        {
            return await HealthProbeCommand.RunAsync(args);
        }

        var builder = WebApplication.CreateBuilder(args);
        var role = HubRoles.Read(builder.Configuration);
        builder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false);

        builder.Services.AddHubLogging(builder.Configuration, builder.Environment);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddHubProblemDetails();
        builder.Services.AddApplication(builder.Configuration);
        builder.Services.AddInfrastructure(builder.Configuration, builder.Environment);
        var sandbox = SandboxSetup.IsEnabled(builder.Configuration, builder.Environment);
#if ALLOY_SANDBOX
        if (sandbox)
        {
            builder.Services.AddEmbeddedSandbox(builder.Configuration);
        }
#endif

        builder.Services.AddHubAuthentication(builder.Configuration, builder.Environment);
        builder.Services.AddHubCurrentCaller();
        builder.Services.AddHubCors(builder.Configuration);
        builder.Services.AddHubRateLimiting(builder.Configuration);
        builder.Services.AddSingleton<AlloyWebhookReader>();
        builder.Services.AddOpenApi();
        builder.Services.AddHubPages();
        builder.Services.AddHubTelemetry(builder.Configuration);

        await using var app = builder.Build();

        // `migrate`: apply migrations and exit (docker-compose's one-shot service, a DBA's deployment step).
        if (MigrateCommand.IsRequested(args))
        {
            return await MigrateCommand.RunAsync(app.Services);
        }

        app.UseSecurityHeaders(SandboxSetup.MountPath);
        // The request log sits outside the exception handler, so it records the status the client got (a malformed
        // body is a 400, not the 500 an escaping exception would suggest); the handler logs real failures itself.
        // It writes to this host's logger, not the static one (several hubs share one test process).
        app.UseSerilogRequestLogging(o => o.Logger = app.Services.GetRequiredService<Serilog.ILogger>());
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        // Hub:Role=Worker runs jobs and answers health probes only: no API, no OpenAPI, nothing to publish.
        if (HubRoles.ServesApi(role))
        {
            app.MapTenantEndpoints();
            app.MapAdminEndpoints();
            app.MapOutboundWebhookEndpoints();
            app.MapEventEndpoints();
            app.MapWebhookEndpoints();
            app.MapProblemEndpoints();
            app.UseHubPages(demo: app.Environment.IsDevelopment()); // /admin, /hangfire, and /demo in Development
            app.MapOpenApi().AllowAnonymous();
            if (app.Environment.IsDevelopment())
            {
                app.MapScalarApiReference().AllowAnonymous();
                app.MapDevelopmentEndpoints();
            }

            mapApi?.Invoke(app);
        }

        app.MapHealthEndpoints();
#if ALLOY_SANDBOX
        if (sandbox)
        {
            app.MapEmbeddedSandbox();
        }
#endif

        app.MapGet("/", () => Results.Redirect(app.Environment.IsDevelopment() && HubRoles.ServesApi(role) ? "/scalar" : "/health/ready")).ExcludeFromDescription();

        await app.RunAsync();
        return 0;
    }
}
