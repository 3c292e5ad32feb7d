using System.Data.Common;
using IntegrationHub.Application.Tenants.SignUpTenant;
using IntegrationHub.Domain.AlloyAccounts;
using IntegrationHub.Domain.Audit;
using IntegrationHub.Domain.Tenants;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.Infrastructure.Persistence;

/// <summary>
/// A new signup's three rows as three single-row statements in the unit of work's transaction (<see cref="BulkInsert.InsertOneAsync{T}"/>):
/// the tenant only if its id is free, then its Alloy account and audit entry. No change tracker, no savepoint, no read first.
/// </summary>
public sealed class SignupRows(HubDbContext db) : ISignupRows
{
    // SQLite's primary result code for a constraint violation; SQL Server's duplicate key in a unique index / constraint.
    private const int SqliteConstraint = 19;
    private const int SqlServerDuplicateIndex = 2601;
    private const int SqlServerDuplicateConstraint = 2627;

    public async Task<long?> TryInsertAsync(Tenant tenant, AlloyAccount account, AuditEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            if (!await BulkInsert.InsertOneAsync(db, tenant, nameof(Tenant.TenantId), cancellationToken))
            {
                return null;
            }
        }
        catch (DbException ex) when (IsDuplicate(ex))
        {
            // A concurrent signup of the same tenant committed between the check and the insert (SQL Server; SQLite's
            // write transaction already excludes it): the statement failed alone, the transaction goes on.
            return null;
        }

        var accountId = await BulkInsert.InsertOneReturningKeyAsync(db, account, cancellationToken);
        await BulkInsert.InsertOneAsync(db, entry, uniqueBy: null, cancellationToken);
        return accountId;
    }

    private static bool IsDuplicate(DbException exception) => exception switch
    {
        SqliteException sqlite => (sqlite.SqliteErrorCode & 0xFF) == SqliteConstraint,
        SqlException sql => sql.Number is SqlServerDuplicateIndex or SqlServerDuplicateConstraint,
        _ => false,
    };
}
