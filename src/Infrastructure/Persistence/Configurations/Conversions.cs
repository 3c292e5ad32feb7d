using IntegrationHub.Domain.Tenants;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace IntegrationHub.Infrastructure.Persistence.Configurations;

internal static class Conversions
{
    public static readonly ValueConverter<TenantId, string> TenantId = new(v => v.Value, v => Domain.Tenants.TenantId.From(v));

    public const int EnumLength = 32;

    /// <summary>
    /// The filter of a unique index over a nullable column: rows without a value are left out. Bracket quoting is
    /// SQL Server's and SQLite accepts it too, so one filter serves both providers.
    /// </summary>
    public static string NotNullFilter(string column) => $"[{column}] IS NOT NULL";
}
