using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Application.Common.Interfaces;

public static class ApplicationDbContextExtensions
{
    /// <summary>
    /// Saves, or returns false when another writer changed a row first (its concurrency stamp moved); the tracked
    /// entities are then forgotten so the caller can re-read. Any other failure propagates.
    /// </summary>
    public static async Task<bool> TrySaveChangesAsync(this IApplicationDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ClearChangeTracker();
            return false;
        }
    }
}
