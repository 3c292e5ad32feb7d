namespace IntegrationHub.Application.Common.Interfaces;

/// <summary>
/// The database's query-planner statistics. A use case that wrote many rows at once says so, and the statistics are
/// brought up to date soon (SQLite: <c>PRAGMA optimize</c>); a provider that keeps them itself ignores it.
/// </summary>
public interface IQueryPlannerStatistics
{
    /// <summary>Reports that <paramref name="rows"/> rows were just inserted or deleted.</summary>
    void RowsWritten(int rows);
}
