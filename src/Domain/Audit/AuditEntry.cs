using IntegrationHub.Domain.Common;
using IntegrationHub.Domain.Tenants;

namespace IntegrationHub.Domain.Audit;

/// <summary>
/// Who did what to which tenant, and when. Append-only: an entry is never changed once written. The detail is
/// short and human-readable and never carries a secret (a modal token, an API key).
/// </summary>
public sealed class AuditEntry
{
    public const int MaxActorLength = 200;
    public const int MaxDetailLength = 500;
    public const int MaxTraceIdLength = 64;

    /// <summary>The actor of work the hub does on its own (jobs, reconciler).</summary>
    public const string SystemActor = "system";

    /// <summary>For EF Core.</summary>
    private AuditEntry() => Actor = null!;

    private AuditEntry(
        DateTimeOffset at,
        AuditAction action,
        TenantId? tenantId,
        string actor,
        AuditActorKind actorKind,
        string? detail,
        string? traceId)
    {
        At = at;
        Action = action;
        TenantId = tenantId;
        Actor = actor;
        ActorKind = actorKind;
        Detail = detail;
        TraceId = traceId;
    }

    public long Id { get; private set; }

    public DateTimeOffset At { get; private set; }

    public AuditAction Action { get; private set; }

    /// <summary>The tenant acted on; null for actions on no single tenant (an admin query across tenants).</summary>
    public TenantId? TenantId { get; private set; }

    /// <summary>Who: a service key's name, a JWT subject, or <see cref="SystemActor"/>.</summary>
    public string Actor { get; private set; }

    public AuditActorKind ActorKind { get; private set; }

    public string? Detail { get; private set; }

    /// <summary>The W3C trace id of the request or job that did it, to find its logs.</summary>
    public string? TraceId { get; private set; }

    /// <summary>
    /// Records an action. An empty actor is recorded as "unknown"; a detail longer than <see cref="MaxDetailLength"/>
    /// is cut short (an entry must not be lost because its detail ran long).
    /// </summary>
    public static AuditEntry Record(
        AuditAction action,
        TenantId? tenantId,
        string actor,
        AuditActorKind actorKind,
        DateTimeOffset at,
        string? detail = null,
        string? traceId = null)
    {
        if (!Enum.IsDefined(action))
        {
            throw new DomainException($"'{action}' is not an audit action.");
        }

        if (!Enum.IsDefined(actorKind))
        {
            throw new DomainException($"'{actorKind}' is not an audit actor kind.");
        }

        actor = string.IsNullOrWhiteSpace(actor) ? "unknown" : Truncate(actor.Trim(), MaxActorLength);
        detail = string.IsNullOrWhiteSpace(detail) ? null : Truncate(detail.Trim(), MaxDetailLength);
        traceId = string.IsNullOrWhiteSpace(traceId) ? null : Truncate(traceId, MaxTraceIdLength);
        return new AuditEntry(at, action, tenantId, actor, actorKind, detail, traceId);
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..(max - 1)] + "…";
}
