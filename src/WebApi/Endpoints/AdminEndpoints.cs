using System.IO.Pipelines;
using IntegrationHub.Application.Audit.QueryAuditLog;
using IntegrationHub.Application.Common.Models;
using IntegrationHub.Application.Common.Validation;
using IntegrationHub.Application.Installations;
using IntegrationHub.Application.Installations.GetInstallationHistory;
using IntegrationHub.Application.Installations.QueryInstallationWebhooks;
using IntegrationHub.Application.Installations.QueryInstallations;
using IntegrationHub.Application.IntegrationErrors;
using IntegrationHub.Application.IntegrationErrors.QueryIntegrationErrors;
using IntegrationHub.Application.Tenants;
using IntegrationHub.Application.Tenants.ListTenants;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Audit;
using IntegrationHub.WebApi.Auth;
using IntegrationHub.WebApi.Errors;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace IntegrationHub.WebApi.Endpoints;

/// <summary><c>/api/admin</c>: cross-tenant queries for the SaaS's admins.</summary>
public static partial class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin").WithTags("Admin").RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapGet("/tenants", ListTenants).WithSummary("Tenants with their provisioning state, cursor-paged.").ProducesValidationProblem();
        group.MapGet("/installations", QueryInstallations)
            .WithSummary("Installations across tenants, cursor-paged; Accept: text/csv exports every match.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesValidationProblem();
        group.MapGet("/installations/{installationId}/history", GetInstallationHistory).WithSummary("An installation's history.");
        group.MapGet("/audit", QueryAuditLog)
            .WithSummary("The audit log, newest first, cursor-paged; filter by tenant and action.").ProducesValidationProblem();
        group.MapGet("/integration-errors", QueryIntegrationErrors)
            .WithSummary("Alloy workflow errors across tenants (and of Alloy users no tenant has), newest first, cursor-paged.")
            .ProducesValidationProblem();
        group.MapGet("/installation-webhooks", QueryInstallationWebhooks)
            .WithSummary("Received Alloy installation webhooks, newest first, cursor-paged; unmatched=true: those for Alloy users no tenant has.")
            .ProducesValidationProblem();
        return app;
    }

    public static async Task<Results<Ok<Page<InstallationWebhookResponse>>, ProblemHttpResult>> QueryInstallationWebhooks(
        [FromQuery] bool? unmatched, [FromQuery] string? cursor, [FromQuery] int? limit,
        ISender sender, HttpContext http, CancellationToken cancellationToken) =>
        (await sender.Send(new QueryInstallationWebhooksQuery(unmatched, cursor, limit), cancellationToken)).ToHttpResult(http);

    public static async Task<Results<Ok<Page<AuditEntryResponse>>, ProblemHttpResult>> QueryAuditLog(
        [FromQuery] string? tenantId, [FromQuery] AuditAction? action, [FromQuery] string? cursor, [FromQuery] int? limit,
        ISender sender, HttpContext http, CancellationToken cancellationToken) =>
        (await sender.Send(new QueryAuditLogQuery(tenantId, action, cursor, limit), cancellationToken)).ToHttpResult(http);

    public static async Task<Results<Ok<Page<IntegrationErrorResponse>>, ProblemHttpResult>> QueryIntegrationErrors(
        [FromQuery] string? tenantId, [FromQuery] string? workflowId, [FromQuery] string? cursor, [FromQuery] int? limit,
        ISender sender, HttpContext http, CancellationToken cancellationToken) =>
        (await sender.Send(new QueryIntegrationErrorsQuery(tenantId, workflowId, cursor, limit), cancellationToken)).ToHttpResult(http);

    public static async Task<Results<Ok<Page<TenantResponse>>, ProblemHttpResult>> ListTenants(
        [FromQuery] ProvisioningState? state, [FromQuery] string? cursor, [FromQuery] int? limit,
        ISender sender, HttpContext http, CancellationToken cancellationToken) =>
        (await sender.Send(new ListTenantsQuery(state, cursor, limit), cancellationToken)).ToHttpResult(http);

    public static async Task<IResult> QueryInstallations(
        [FromQuery] string? tenantId, [FromQuery] string? integrationId, [FromQuery] bool? enabled,
        [FromQuery] string? cursor, [FromQuery] int? limit,
        ISender sender, HttpContext http, CancellationToken cancellationToken)
    {
        var query = new QueryInstallationsQuery(tenantId, integrationId, enabled, cursor, limit);
        if (!WantsCsv(http.Request))
        {
            return (await sender.Send(query, cancellationToken)).ToHttpResult(http);
        }

        // Validate once up front, so a bad filter is a 400 problem rather than a broken download. This first page is
        // the export's one audit entry; the later pages belong to it.
        var first = await sender.Send(query with { Limit = ValidationRules.MaxPageSize, Read = InstallationsRead.ExportStart }, cancellationToken);
        if (!first.IsSuccess)
        {
            return first.Error.ToProblem(http);
        }

        var filters = (tenantId, integrationId, enabled);
        return Results.Stream(
            async stream =>
            {
                var rows = 0L;
                try
                {
                    await WriteCsvAsync(stream, first.Value, filters, sender, written => rows = written, cancellationToken);
                }
                catch (Exception ex) when (!http.RequestAborted.IsCancellationRequested)
                {
                    // The 200 and the first rows are on their way: a problem can no longer be answered. Aborting the
                    // connection ends the chunked body without its terminator, so the client sees a broken transfer
                    // instead of a file that looks complete.
                    LogExportFailed(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AdminEndpoints)), ex, rows);
                    http.Abort();
                }
            },
            contentType: "text/csv; charset=utf-8",
            fileDownloadName: "installations.csv");
    }

    /// <summary>
    /// The first page, then the rest streamed from the database (<see cref="StreamInstallationsQuery"/>, pages of 500
    /// by key) straight into the response, flushed after every page's worth of rows: memory stays at one page whatever
    /// the export's size.
    /// </summary>
    private static async Task WriteCsvAsync(
        Stream stream, Page<TenantInstallationResponse> first, (string? TenantId, string? IntegrationId, bool? Enabled) filters,
        ISender sender, Action<long> progress, CancellationToken cancellationToken)
    {
        var writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        InstallationsCsv.WriteHeader(writer);
        foreach (var item in first.Items)
        {
            InstallationsCsv.WriteRow(writer, item);
        }

        var rows = (long)first.Items.Count;
        progress(rows);
        await writer.FlushAsync(cancellationToken);
        if (first.NextCursor is { } cursor)
        {
            var rest = sender.CreateStream(new StreamInstallationsQuery(filters.TenantId, filters.IntegrationId, filters.Enabled, cursor), cancellationToken);
            await foreach (var item in rest)
            {
                InstallationsCsv.WriteRow(writer, item);
                progress(++rows);
                if (rows % StreamInstallationsQuery.PageSize == 0)
                {
                    await writer.FlushAsync(cancellationToken);
                }
            }
        }

        await writer.CompleteAsync();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "CSV export of installations failed after {Rows} rows; the response was aborted so the client sees an incomplete download")]
    private static partial void LogExportFailed(ILogger logger, Exception exception, long rows);

    public static async Task<Results<Ok<InstallationHistoryResponse>, ProblemHttpResult>> GetInstallationHistory(
        string installationId, ISender sender, HttpContext http, CancellationToken cancellationToken) =>
        (await sender.Send(new GetInstallationHistoryQuery(installationId), cancellationToken)).ToHttpResult(http);

    private static bool WantsCsv(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase));
}
