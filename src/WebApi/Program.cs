using System.Text.Json.Serialization;
using IntegrationHub.AlloySandbox;
using IntegrationHub.Application;
using IntegrationHub.Infrastructure;
using IntegrationHub.Infrastructure.Hosting;
using IntegrationHub.WebApi;
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

// The container's health probe: the runtime image has no curl (Dockerfile HEALTHCHECK).
if (HealthProbeCommand.IsRequested(args))
{
    Environment.ExitCode = await HealthProbeCommand.RunAsync(args);
    return;
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
var bench = BenchEndpoints.IsEnabled(builder.Configuration, builder.Environment);
if (sandbox)
{
    builder.Services.AddEmbeddedSandbox(builder.Configuration);
}

builder.Services.AddHubAuthentication(builder.Configuration, builder.Environment);
builder.Services.AddHubCurrentCaller();
builder.Services.AddHubCors(builder.Configuration);
builder.Services.AddHubRateLimiting(builder.Configuration);
builder.Services.AddSingleton<AlloyWebhookReader>();
builder.Services.AddOpenApi();
builder.Services.AddHubPages();
builder.Services.AddHubTelemetry(builder.Configuration);

var app = builder.Build();

// `migrate`: apply migrations and exit (docker-compose's one-shot service, a DBA's deployment step).
if (MigrateCommand.IsRequested(args))
{
    Environment.ExitCode = await MigrateCommand.RunAsync(app.Services);
    await app.DisposeAsync();
    return;
}

app.UseSecurityHeaders(SandboxSetup.MountPath);
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseSerilogRequestLogging();
app.UseCors();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();

// Hub:Role=Worker runs jobs and answers health probes only: no API, no OpenAPI, nothing to publish.
if (HubRoles.ServesApi(role))
{
    app.MapTenantEndpoints();
    app.MapAdminEndpoints();
    app.MapWebhookEndpoints();
    app.MapProblemEndpoints();
    app.UseHubPages(demo: app.Environment.IsDevelopment()); // /admin, /hangfire, and /demo in Development
    app.MapOpenApi().AllowAnonymous();
    if (app.Environment.IsDevelopment())
    {
        app.MapScalarApiReference().AllowAnonymous();
        app.MapDevelopmentEndpoints();
    }

    if (bench)
    {
        app.MapBenchEndpoints(app.Configuration); // bench/ only: Bench:Enabled, never in Production
    }
}

app.MapHealthEndpoints();

if (sandbox)
{
    app.MapGroup(SandboxSetup.MountPath).MapAlloySandbox();
}

app.MapGet("/", () => Results.Redirect(app.Environment.IsDevelopment() && HubRoles.ServesApi(role) ? "/scalar" : "/health/ready")).ExcludeFromDescription();

await app.RunAsync();

/// <summary>The entry point; public for WebApplicationFactory.</summary>
public partial class Program;
