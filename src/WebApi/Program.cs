using System.Text.Json.Serialization;
using IntegrationHub.AlloySandbox;
using IntegrationHub.Application;
using IntegrationHub.Infrastructure;
using IntegrationHub.WebApi;
using IntegrationHub.WebApi.Auth;
using IntegrationHub.WebApi.Endpoints;
using IntegrationHub.WebApi.Errors;
using IntegrationHub.WebApi.Infrastructure;
using IntegrationHub.WebApi.Sandbox;
using IntegrationHub.WebApi.Webhooks;
using Scalar.AspNetCore;
using Serilog;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false);

builder.Services.AddHubLogging(builder.Configuration, builder.Environment);
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddHubProblemDetails();
builder.Services.AddApplication(builder.Configuration);
builder.Services.AddInfrastructure(builder.Configuration, builder.Environment);
var sandbox = SandboxSetup.IsEnabled(builder.Configuration, builder.Environment);
if (sandbox)
{
    builder.Services.AddEmbeddedSandbox(builder.Configuration);
}

builder.Services.AddHubAuthentication(builder.Configuration, builder.Environment);
builder.Services.AddHubCurrentCaller();
builder.Services.AddHubOptionsValidation(sandbox);
builder.Services.AddHubCors(builder.Configuration);
builder.Services.AddHubRateLimiting(builder.Configuration);
builder.Services.AddSingleton<AlloyWebhookReader>();
builder.Services.AddOpenApi();

var app = builder.Build();

app.UseSecurityHeaders(SandboxSetup.MountPath);
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseSerilogRequestLogging();
app.UseCors();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();

app.MapTenantEndpoints();
app.MapAdminEndpoints();
app.MapWebhookEndpoints();
app.MapProblemEndpoints();
app.MapHealthEndpoints();
app.MapOpenApi().AllowAnonymous();
if (app.Environment.IsDevelopment())
{
    app.MapScalarApiReference().AllowAnonymous();
    app.MapDevelopmentEndpoints();
}

if (sandbox)
{
    app.MapGroup(SandboxSetup.MountPath).MapAlloySandbox();
}

app.MapGet("/", () => Results.Redirect(app.Environment.IsDevelopment() ? "/scalar" : "/health/ready")).ExcludeFromDescription();

await app.RunAsync();

/// <summary>The entry point; public for WebApplicationFactory.</summary>
public partial class Program;
