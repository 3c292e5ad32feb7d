using FluentValidation;
using IntegrationHub.Application.Audit;
using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Events;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Application.Events.ReplayTenantEvent;

/// <summary>Admin: sends a Failed event again, attempts counted from zero (held first if the tenant's Alloy user is missing).</summary>
public sealed record ReplayTenantEventCommand(string EventId) : ICommand<Result<TenantEventResponse>>;

internal sealed class ReplayTenantEventCommandValidator : AbstractValidator<ReplayTenantEventCommand>
{
    public ReplayTenantEventCommandValidator() => RuleFor(c => c.EventId).ValidEventId();
}

internal sealed class ReplayTenantEventCommandHandler(
    IApplicationDbContext db,
    AuditTrail audit,
    TenantEventDispatch dispatch,
    IBackgroundJobs jobs,
    TimeProvider time) : ICommandHandler<ReplayTenantEventCommand, Result<TenantEventResponse>>
{
    public async ValueTask<Result<TenantEventResponse>> Handle(ReplayTenantEventCommand command, CancellationToken cancellationToken)
    {
        var e = await db.TenantEvents.FirstOrDefaultAsync(x => x.EventId == command.EventId, cancellationToken);
        if (e is null)
        {
            return TenantEventErrors.NotFound(command.EventId);
        }

        var replayed = e.Replay(time.GetUtcNow());
        if (!replayed.IsSuccess)
        {
            return replayed.Error;
        }

        audit.Add(AuditAction.EventReplayed, e.TenantId, $"eventId={e.EventId} event={e.Name}");
        if (!await db.TrySaveChangesAsync(cancellationToken))
        {
            var current = await db.TenantEvents.AsNoTracking().FirstAsync(x => x.EventId == command.EventId, cancellationToken);
            return TenantEventErrors.NotFailed(current.EventId, current.State);
        }

        dispatch.Request(e.TenantId, jobs.EnqueueTenantEvents);
        return TenantEventResponse.From(e);
    }
}
