using IntegrationHub.Domain.Audit;

namespace IntegrationHub.Application.Common.Interfaces;

/// <summary>
/// Who is making the current call, for the audit trail: a service key's name, a JWT subject, or
/// <see cref="AuditEntry.SystemActor"/> when no caller is present (background jobs, the reconciler).
/// </summary>
public interface ICurrentCaller
{
    string Actor { get; }

    AuditActorKind ActorKind { get; }

    /// <summary>The trace id of the current request or job, if there is one (to find its logs).</summary>
    string? TraceId { get; }
}
