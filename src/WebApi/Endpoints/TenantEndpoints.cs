using IntegrationHub.Application.Common.Models;
using IntegrationHub.Application.Installations;
using IntegrationHub.Application.Installations.GetTenantInstallations;
using IntegrationHub.Application.Installations.RefreshInstallations;
using IntegrationHub.Application.IntegrationErrors;
using IntegrationHub.Application.IntegrationErrors.GetTenantIntegrationErrors;
using IntegrationHub.Application.Integrations.ListIntegrations;
using IntegrationHub.Application.Provisioning.RetryProvisioning;
using IntegrationHub.Application.Tenants;
using IntegrationHub.Application.Tenants.GetTenant;
using IntegrationHub.Application.Tenants.OffboardTenant;
using IntegrationHub.Application.Tenants.SignUpTenant;
using IntegrationHub.Application.Tokens.IssueModalToken;
using IntegrationHub.WebApi.Auth;
using IntegrationHub.WebApi.Errors;
using IntegrationHub.WebApi.Infrastructure;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.WebApi.Endpoints;

/// <summary><c>/api/tenants</c>: signup, the tenant, its tokens, integrations and installations.</summary>
public static class TenantEndpoints
{
    public static IEndpointRouteBuilder MapTenantEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/tenants").WithTags("Tenants").ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapPost("/", SignUp).RequireAuthorization(Policies.Service)
            .WithSummary("Sign a tenant up; its Alloy user is provisioned in the background.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{tenantId}", GetTenant).RequireAuthorization(Policies.TenantRead)
            .WithSummary("The tenant with its Alloy account.");
        group.MapDelete("/{tenantId}", Offboard).RequireAuthorization(Policies.TenantManage)
            .WithSummary("Offboard a tenant: its Alloy user and logs are deleted in the background; 202.");
        group.MapPost("/{tenantId}/provisioning/retry", RetryProvisioning).RequireAuthorization(Policies.TenantManage)
            .WithSummary("Retry a tenant whose provisioning failed.");
        group.MapPost("/{tenantId}/alloy-token", IssueModalToken).RequireAuthorization(Policies.TenantUse).RequireRateLimiting(RateLimitSetup.TenantToken)
            .WithSummary("A short-lived Alloy modal token for the tenant's frontend (Cache-Control: no-store).")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/{tenantId}/integrations", ListIntegrations).RequireAuthorization(Policies.TenantRead)
            .WithSummary("Integrations the tenant may install.");
        group.MapPost("/{tenantId}/installations/refresh", RefreshInstallations).RequireAuthorization(Policies.TenantUse).RequireRateLimiting(RateLimitSetup.TenantRefresh)
            .WithSummary("Pull the tenant's installations from Alloy now (call after the modal reports success).");
        group.MapGet("/{tenantId}/installations", GetInstallations).RequireAuthorization(Policies.TenantRead)
            .WithSummary("The tenant's installation records.");
        group.MapGet("/{tenantId}/integration-errors", GetIntegrationErrors).RequireAuthorization(Policies.TenantRead)
            .WithSummary("Alloy workflow errors of the tenant's integrations (from Alloy's error webhook), newest first, cursor-paged.")
            .ProducesValidationProblem();
        return app;
    }

    public sealed record SignUpTenantRequest(string? TenantId, string? Name);

    public static async Task<Results<Accepted<TenantResponse>, Ok<TenantResponse>, ProblemHttpResult>> SignUp(
        SignUpTenantRequest request, ISender sender, HttpContext http, CancellationToken cancellationToken)
    {
        var result = await sender.Send(new SignUpTenantCommand(request.TenantId, request.Name), cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error.ToProblem(http);
        }

        var (tenant, created) = result.Value;
        return created
            ? TypedResults.Accepted($"/api/tenants/{Uri.EscapeDataString(tenant.TenantId)}", tenant)
            : TypedResults.Ok(tenant);
    }

    public static async Task<Results<Ok<TenantResponse>, ProblemHttpResult>> GetTenant(
        string tenantId, ISender sender, HttpContext http, CancellationToken cancellationToken) =>
        (await sender.Send(new GetTenantQuery(tenantId), cancellationToken)).ToHttpResult(http);

    public static async Task<Results<Accepted<TenantResponse>, ProblemHttpResult>> Offboard(
        string tenantId, ISender sender, HttpContext http, CancellationToken cancellationToken)
    {
        var result = await sender.Send(new OffboardTenantCommand(tenantId), cancellationToken);
        return result.IsSuccess
            ? TypedResults.Accepted($"/api/tenants/{Uri.EscapeDataString(tenantId)}", result.Value)
            : result.Error.ToProblem(http);
    }

    public static async Task<Results<Accepted<TenantResponse>, ProblemHttpResult>> RetryProvisioning(
        string tenantId, ISender sender, HttpContext http, CancellationToken cancellationToken)
    {
        var result = await sender.Send(new RetryProvisioningCommand(tenantId), cancellationToken);
        return result.IsSuccess
            ? TypedResults.Accepted($"/api/tenants/{Uri.EscapeDataString(tenantId)}", result.Value)
            : result.Error.ToProblem(http);
    }

    public static async Task<Results<Ok<ModalTokenResponse>, ProblemHttpResult>> IssueModalToken(
        string tenantId, ISender sender, HttpContext http, CancellationToken cancellationToken)
    {
        // Never cached by a browser or proxy, whatever the outcome.
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
        return (await sender.Send(new IssueModalTokenCommand(tenantId), cancellationToken)).ToHttpResult(http);
    }

    public static async Task<Results<Ok<IntegrationsResponse>, ProblemHttpResult>> ListIntegrations(
        string tenantId, ISender sender, HttpContext http, CancellationToken cancellationToken) =>
        (await sender.Send(new ListIntegrationsQuery(tenantId), cancellationToken)).ToHttpResult(http);

    public static async Task<Results<Ok<InstallationsResponse>, ProblemHttpResult>> RefreshInstallations(
        string tenantId, ISender sender, HttpContext http, CancellationToken cancellationToken) =>
        (await sender.Send(new RefreshInstallationsCommand(tenantId), cancellationToken)).ToHttpResult(http);

    public static async Task<Results<Ok<InstallationsResponse>, ProblemHttpResult>> GetInstallations(
        string tenantId, ISender sender, HttpContext http, CancellationToken cancellationToken) =>
        (await sender.Send(new GetTenantInstallationsQuery(tenantId), cancellationToken)).ToHttpResult(http);

    public static async Task<Results<Ok<Page<IntegrationErrorResponse>>, ProblemHttpResult>> GetIntegrationErrors(
        string tenantId, [FromQuery] string? cursor, [FromQuery] int? limit,
        ISender sender, HttpContext http, CancellationToken cancellationToken) =>
        (await sender.Send(new GetTenantIntegrationErrorsQuery(tenantId, cursor, limit), cancellationToken)).ToHttpResult(http);
}
