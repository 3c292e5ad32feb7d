using System.Text.Json;
using FluentValidation;
using IntegrationHub.Application.Audit;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Models;
using IntegrationHub.Application.Common.Validation;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Installations;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Application.Installations.QueryInstallationWebhooks;

/// <summary>
/// Admin: received installation webhooks, newest first, cursor-paged; <c>unmatched=true</c> keeps only those for an
/// Alloy user no tenant has (kept for admins, like unmatched error webhooks).
/// </summary>
public sealed record QueryInstallationWebhooksQuery(bool? Unmatched, string? Cursor, int? Limit)
    : IQuery<Result<Page<InstallationWebhookResponse>>>;

/// <summary>A received installation webhook; <see cref="Payload"/> is the body Alloy sent, as JSON.</summary>
public sealed record InstallationWebhookResponse(
    long Id,
    AlloyEnvironment Environment,
    string AlloyUserId,
    string IntegrationId,
    bool Success,
    string? TenantId,
    InstallationWebhookStatus Status,
    int Attempts,
    string? InstallationId,
    string? LastError,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? CompletedAt,
    JsonElement Payload)
{
    public static InstallationWebhookResponse From(InstallationWebhook webhook) => new(
        webhook.Id,
        webhook.Environment,
        webhook.AlloyUserId,
        webhook.IntegrationId,
        webhook.Success,
        webhook.TenantId?.Value,
        webhook.Status,
        webhook.Attempts,
        webhook.InstallationId,
        webhook.LastError,
        webhook.ReceivedAt,
        webhook.CompletedAt,
        ParsePayload(webhook.RawPayload));

    /// <summary>The stored body was checked to be a JSON object when it arrived; anything else is served as a string.</summary>
    private static JsonElement ParsePayload(string raw)
    {
        try
        {
            return JsonElement.Parse(raw);
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(raw);
        }
    }
}

internal sealed class QueryInstallationWebhooksQueryValidator : AbstractValidator<QueryInstallationWebhooksQuery>
{
    public QueryInstallationWebhooksQueryValidator()
    {
        RuleFor(q => q.Limit).ValidPageSize();
        RuleFor(q => q.Cursor).ValidCursor();
    }
}

internal sealed class QueryInstallationWebhooksQueryHandler(IApplicationDbContext db, AuditTrail audit)
    : IQueryHandler<QueryInstallationWebhooksQuery, Result<Page<InstallationWebhookResponse>>>
{
    public async ValueTask<Result<Page<InstallationWebhookResponse>>> Handle(
        QueryInstallationWebhooksQuery query, CancellationToken cancellationToken)
    {
        var rows = db.InstallationWebhooks.AsNoTracking();
        if (query.Unmatched is { } unmatched)
        {
            rows = unmatched ? rows.Where(w => w.TenantId == null) : rows.Where(w => w.TenantId != null);
        }

        var page = await rows.ToPageAsync(w => w.Id, PageOrder.Descending, query.Cursor, query.Limit, InstallationWebhookResponse.From, cancellationToken);
        var detail = AuditDetail.Filters("installation-webhooks", ("unmatched", query.Unmatched is { } u ? (u ? "true" : "false") : null));
        await audit.EnqueueAsync(AuditAction.AdminQuery, null, detail, cancellationToken);
        return page;
    }
}
