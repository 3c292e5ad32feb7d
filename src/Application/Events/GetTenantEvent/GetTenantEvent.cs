using System.Text.Json;
using FluentValidation;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Application.Common.Validation;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Events;
using IntegrationHub.Domain.Tenants;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Application.Events.GetTenantEvent;

/// <summary>One of a tenant's events with its payload and attempts.</summary>
public sealed record GetTenantEventQuery(string TenantId, string EventId) : IQuery<Result<TenantEventDetailResponse>>;

internal sealed class GetTenantEventQueryValidator : AbstractValidator<GetTenantEventQuery>
{
    public GetTenantEventQueryValidator()
    {
        RuleFor(q => q.TenantId).ValidTenantId();
        RuleFor(q => q.EventId).ValidEventId();
    }
}

internal sealed class GetTenantEventQueryHandler(IApplicationDbContext db) : IQueryHandler<GetTenantEventQuery, Result<TenantEventDetailResponse>>
{
    public async ValueTask<Result<TenantEventDetailResponse>> Handle(GetTenantEventQuery query, CancellationToken cancellationToken)
    {
        var tenantId = TenantId.From(query.TenantId);
        var e = await db.TenantEvents.AsNoTracking()
            .FirstOrDefaultAsync(x => x.EventId == query.EventId && x.TenantId == tenantId, cancellationToken);
        if (e is null)
        {
            // Another tenant's event is not found here either: its existence is not disclosed.
            return TenantEventErrors.NotFound(query.EventId);
        }

        var history = await db.TenantEventAttempts.AsNoTracking()
            .Where(a => a.TenantEventId == e.Id)
            .OrderBy(a => a.Id)
            .Select(a => new TenantEventAttemptResponse(a.At, a.DurationMs, a.Outcome, a.Error))
            .ToListAsync(cancellationToken);
        return Detail(e, history);
    }

    internal static TenantEventDetailResponse Detail(TenantEvent e, IReadOnlyList<TenantEventAttemptResponse> history)
    {
        var summary = TenantEventResponse.From(e);
        return new TenantEventDetailResponse(
            summary.EventId,
            summary.TenantId,
            summary.Event,
            summary.Status,
            summary.Attempts,
            summary.AcceptedAt,
            summary.DeliveredAt,
            summary.NextAttemptAt,
            summary.LastError,
            e.UserId,
            JsonElement.Parse(e.Data),
            history);
    }
}
