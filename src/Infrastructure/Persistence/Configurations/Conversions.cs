using IntegrationHub.Domain.Tenants;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace IntegrationHub.Infrastructure.Persistence.Configurations;

internal static class Conversions
{
    public static readonly ValueConverter<TenantId, string> TenantId = new(v => v.Value, v => Domain.Tenants.TenantId.From(v));

    public const int EnumLength = 32;
}
