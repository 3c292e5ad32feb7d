using IntegrationHub.Domain.Audit;

namespace IntegrationHub.Application.Common.Interfaces;

/// <summary>
/// A buffered writer of audit entries for high-volume, read-like events (tokens issued, refreshes, admin
/// queries): the request hands the entry over and does no database write of its own; a background writer
/// stores entries in batches. Entries written here are not part of the caller's transaction.
/// </summary>
public interface IAuditSink
{
    /// <summary>
    /// Hands the entry to the writer. Completes at once unless the buffer is full; then it waits for room
    /// (never drops the entry) and throws <see cref="Errors.AuditBacklogException"/> if none frees up in time.
    /// </summary>
    ValueTask WriteAsync(AuditEntry entry, CancellationToken cancellationToken);
}
