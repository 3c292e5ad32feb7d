using IntegrationHub.Application.Common.Interfaces;
using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Tenants;

namespace IntegrationHub.Application.Audit;

/// <summary>
/// Records audit entries, attributed to the current caller. Two ways, by what the event needs:
/// <list type="bullet">
/// <item><see cref="Add"/>: the entry joins the handler's own unit of work and commits with its
/// <c>SaveChangesAsync</c> (same transaction): durable, for state changes (signup, provisioning, retry).</item>
/// <item><see cref="EnqueueAsync"/>: the entry goes to the buffered <see cref="IAuditSink"/>, so the request path
/// does no extra database write: for high-volume, read-like events (tokens, refreshes, admin queries). A crash
/// of the process may lose the last entries not yet flushed (see docs/adr/0006-audit-log.md).</item>
/// </list>
/// Details are short and human-readable and never carry a secret (a token, a key).
/// </summary>
public sealed class AuditTrail(Lazy<IApplicationDbContext> db, IAuditSink sink, ICurrentCaller caller, TimeProvider time)
{
    /// <summary>Adds the entry to the unit of work; it is stored by the handler's next <c>SaveChangesAsync</c>.</summary>
    public void Add(AuditAction action, TenantId? tenantId, string? detail = null) =>
        db.Value.AuditEntries.Add(Create(action, tenantId, detail, caller.Actor, caller.ActorKind));

    /// <summary>
    /// Like <see cref="Add"/>, attributed to the hub itself whoever triggered the work: provisioning runs in a job,
    /// or inline on behalf of a token request, and is the hub's act either way.
    /// </summary>
    public void AddBySystem(AuditAction action, TenantId? tenantId, string? detail = null) =>
        db.Value.AuditEntries.Add(Create(action, tenantId, detail, AuditEntry.SystemActor, AuditActorKind.System));

    /// <summary>The entry <see cref="Add"/> would add, for a unit of work that writes its rows itself (the signup).</summary>
    public AuditEntry Entry(AuditAction action, TenantId? tenantId, string? detail = null) =>
        Create(action, tenantId, detail, caller.Actor, caller.ActorKind);

    /// <summary>Hands the entry to the buffered writer; no database write on the caller's path.</summary>
    public ValueTask EnqueueAsync(AuditAction action, TenantId? tenantId, string? detail, CancellationToken cancellationToken) =>
        sink.WriteAsync(Create(action, tenantId, detail, caller.Actor, caller.ActorKind), cancellationToken);

    private AuditEntry Create(AuditAction action, TenantId? tenantId, string? detail, string actor, AuditActorKind kind) =>
        AuditEntry.Record(action, tenantId, actor, kind, time.GetUtcNow(), detail, caller.TraceId);
}
